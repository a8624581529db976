using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Bodies;
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

            var bodies = ContractBodies.Of(start.Compilation, contracts, start.CancellationToken);

            // A code-block action: only bodies whose syntax can name a page-returning call are bound (docs/design/bodies.md).
            start.RegisterCodeBlockAction(block => AnalyzeBlock(block, bodies));
        });
    }

    /// <summary>
    /// Runs for every code block of the compilation; the body is bound only when the pre-filter admits it, and walked
    /// only when binding shows a call that returns (or writes through <c>out</c>) a pinned or borrowed page in it.
    /// </summary>
    private static void AnalyzeBlock(CodeBlockAnalysisContext context, ContractBodies bodies)
    {
        var contracts = bodies.Contracts;

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

        var executable = ExecutableCode.Of(context.CodeBlock);
        if (!bodies.Admits(method, executable))
        {
            return;
        }

        var blocks = ExecutableCode.Bind(context.SemanticModel, executable, context.CancellationToken);
        if (!CallsPageSource(blocks, contracts))
        {
            return;
        }

        foreach (var block in blocks)
        {
            if (block is IMethodBodyOperation or IBlockOperation)
            {
                var returned = returnOpen ? ReturnedPages.Classify(block, contracts) : Contract.None;
                if (returned != Contract.None)
                {
                    Report(context, method, method.Locations, parameter: null, returned == Contract.ReturnPinned);
                }

                foreach (var parameter in openOuts)
                {
                    var written = OutParameterPages.Classify(block, parameter, contracts);
                    if (written != Contract.None)
                    {
                        Report(context, method, parameter.Locations, parameter, written == Contract.Pinned);
                    }
                }

                return;
            }
        }
    }

    /// <summary>Whether a call in <paramref name="blocks"/> (lambdas and local functions included) returns or writes a pinned or borrowed page.</summary>
    private static bool CallsPageSource(ImmutableArray<IOperation> blocks, ContractCache contracts)
    {
        var pending = new Stack<IOperation>(blocks);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IInvocationOperation invocation && ReturnsOrWritesPage(invocation.TargetMethod, contracts))
            {
                return true;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return false;
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

    private static void Report(CodeBlockAnalysisContext context, IMethodSymbol method, ImmutableArray<Location> locations, IParameterSymbol? parameter, bool pinned)
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
