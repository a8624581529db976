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
    /// call to a <c>[return: Pinned]</c> or <c>[return: Borrowed]</c> method in it.
    /// </summary>
    private static void AnalyzeBlock(OperationBlockStartAnalysisContext context, ContractCache contracts)
    {
        if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, ReturnsVoid: false } method
            || method.ReturnsByRef
            || method.ReturnsByRefReadonly
            || contracts.Of(method).Has(Contract.ReturnPinned | Contract.ReturnBorrowed))
        {
            return;
        }

        var pageSource = new PageSourceSeen();
        context.RegisterOperationAction(
            invocation =>
            {
                if (contracts.Of(((IInvocationOperation)invocation.Operation).TargetMethod).Has(Contract.ReturnPinned | Contract.ReturnBorrowed))
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
                    var returned = ReturnedPages.Classify(block, contracts);
                    if (returned != Contract.None)
                    {
                        Report(end, method, returned);
                    }

                    return;
                }
            }
        });
    }

    /// <summary>Per body: whether a page-returning call was seen (set from the driver's operation callbacks).</summary>
    private sealed class PageSourceSeen
    {
        public volatile bool Seen;
    }

    private static void Report(OperationBlockAnalysisContext context, IMethodSymbol method, Contract returned)
    {
        var pinned = returned == Contract.ReturnPinned;
        var attribute = pinned ? "Pinned" : "Borrowed";
        var properties = ImmutableDictionary<string, string?>.Empty.Add(AttributeProperty, attribute);
        var location = method.Locations.IsDefaultOrEmpty ? Location.None : method.Locations[0];
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.UnannotatedPageReturn,
            location,
            properties,
            method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
            pinned ? "pinned" : "borrowed",
            attribute));
    }
}
