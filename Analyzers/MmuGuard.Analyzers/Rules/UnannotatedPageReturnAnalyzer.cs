using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0016 (Info): a method without return attributes whose every <c>return</c> hands back, directly or through a
/// local that is never reassigned, the result of a <c>[return: Pinned]</c> call (or of a <c>[return: Borrowed]</c>
/// call). Contracts are never inferred across methods, so such a helper hides its pin from every caller.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnannotatedPageReturnAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property naming the attribute to add: <c>Pinned</c> or <c>Borrowed</c>.</summary>
    public const string AttributeProperty = "Attribute";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnannotatedPageReturn);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var shared = CompilationContracts.Of(start.Compilation);
            var known = shared.Known;
            if (!known.SeesAttributes || (known.Pinned is null && known.Borrowed is null))
            {
                return;
            }

            var contracts = shared.WithContractsFiles(start.Options, start.CancellationToken);

            start.RegisterOperationBlockStartAction(block => AnalyzeBlock(block, contracts));
        });
    }

    /// <summary>
    /// Runs for every body of the compilation, so the body is walked only when the driver's own walk has shown a
    /// call that returns (or writes through <c>out</c>) a pinned or borrowed page in it.
    /// </summary>
    private static void AnalyzeBlock(OperationBlockStartAnalysisContext context, ContractCache contracts)
    {
        // Across a virtual or interface boundary the contract belongs to the shared declaration: not inferred.
        if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || !Inference.InferenceScope.IsInferable(method))
        {
            return;
        }

        var returnOpen = !method.ReturnsVoid
            && !method.ReturnsByRef
            && !method.ReturnsByRefReadonly
            && !contracts.Of(method).Has(Contract.ReturnPinned | Contract.ReturnBorrowed);
        var openOuts = OpenOutParameters(method, contracts);
        if (!returnOpen && openOuts.IsEmpty)
        {
            return;
        }

        var pageSource = new PageSourceSeen();
        context.RegisterOperationAction(
            invocation =>
            {
                if (ReturnsOrWritesPage(((IInvocationOperation)invocation.Operation).TargetMethod, contracts))
                {
                    pageSource.Seen = true;
                }
            },
            OperationKind.Invocation);
        context.RegisterOperationBlockEndAction(end =>
        {
            if (!pageSource.Seen)
            {
                return;
            }

            foreach (var block in end.OperationBlocks)
            {
                if (block is IMethodBodyOperation or IBlockOperation)
                {
                    var returned = returnOpen ? ReturnedPages.Classify(block, contracts) : Contract.None;
                    if (returned != Contract.None)
                    {
                        Report(end, method, method.Locations, parameter: null, returned == Contract.ReturnPinned);
                    }

                    foreach (var parameter in openOuts)
                    {
                        var written = OutParameterPages.Classify(block, parameter, contracts);
                        if (written != Contract.None)
                        {
                            Report(end, method, parameter.Locations, parameter, written == Contract.Pinned);
                        }
                    }

                    return;
                }
            }
        });
    }

    private static ImmutableArray<IParameterSymbol> OpenOutParameters(IMethodSymbol method, ContractCache contracts)
    {
        var open = ImmutableArray.CreateBuilder<IParameterSymbol>();
        foreach (var parameter in method.Parameters)
        {
            // Any contract already says what the value is (a [TryAcquiresPin] out is pinned only on success).
            if (parameter.RefKind == RefKind.Out && contracts.Of(parameter) == Contract.None)
            {
                open.Add(parameter);
            }
        }

        return open.ToImmutable();
    }

    private static bool ReturnsOrWritesPage(IMethodSymbol callee, ContractCache contracts)
    {
        if (contracts.Of(callee).Has(Contract.ReturnPinned | Contract.ReturnBorrowed))
        {
            return true;
        }

        foreach (var parameter in callee.Parameters)
        {
            if (parameter.RefKind == RefKind.Out && contracts.Of(parameter).Has(Contract.Pinned | Contract.Borrowed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Per body: whether a page-returning call was seen (set from the driver's operation callbacks).</summary>
    private sealed class PageSourceSeen
    {
        public volatile bool Seen;
    }

    private static void Report(OperationBlockAnalysisContext context, IMethodSymbol method, ImmutableArray<Location> locations, IParameterSymbol? parameter, bool pinned)
    {
        var attribute = pinned ? "Pinned" : "Borrowed";
        var properties = ImmutableDictionary<string, string?>.Empty.Add(AttributeProperty, attribute);
        var location = locations.IsDefaultOrEmpty ? Location.None : locations[0];
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.UnannotatedPageReturn,
            location,
            properties,
            method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
            pinned ? "pinned" : "borrowed",
            parameter is null ? "its return value" : "out parameter '" + parameter.Name + "'",
            parameter is null ? "return: " + attribute : attribute));
    }
}
