using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Bodies;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>
/// MMU0023–MMU0025 (Info): an unannotated parameter whose body proves a contract. The flow is run as if the parameter
/// carried the contract; the suggestion stands only when that run reports nothing the plain run does not (the body
/// never contradicts the contract on any path) and shows the parameter reaching what the contract is about.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ParameterContractInferenceAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.InferredReleasesPin, Descriptors.InferredTakesPinOwnership, Descriptors.InferredRequiresPin);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // A suggestion names an attribute the code can write, so the compilation must see the attributes.
            var shared = CompilationContracts.Of(start.Compilation);
            if (!shared.Known.SeesAttributes)
            {
                return;
            }

            var contracts = shared.WithContractsFiles(start.Options, start.CancellationToken);
            var hypotheses = new ContractHypotheses(contracts);
            var bodies = ContractBodies.Of(start.Compilation, contracts, start.CancellationToken);

            // A code-block action: a body is bound only when its syntax can reach a contract (docs/design/bodies.md).
            start.RegisterCodeBlockAction(block => AnalyzeBlock(block, hypotheses, bodies));
        });
    }

    private static void AnalyzeBlock(CodeBlockAnalysisContext context, ContractHypotheses hypotheses, ContractBodies bodies)
    {
        if (context.OwningSymbol is not IMethodSymbol method || !InferenceScope.IsInferable(method))
        {
            return;
        }

        var executable = ExecutableCode.Of(context.CodeBlock);
        if (!bodies.Admits(method, context.CodeBlock, executable)
            || InferenceScope.BodyOf(ExecutableCode.Bind(context.SemanticModel, executable, context.CancellationToken)) is not { } body)
        {
            return;
        }

        // A method whose own contract contradicts itself (MMU0010 reports it) proves nothing about its parameters.
        if (hypotheses.Actual.Of(method).Has(Contract.ReturnPinned) && hypotheses.Actual.Of(method).Has(Contract.ReturnBorrowed))
        {
            return;
        }

        var candidates = ParameterUses.Candidates(body.Root, method, hypotheses.Actual);
        if (candidates.IsEmpty)
        {
            return;
        }

        if (ExecutableCode.GraphOf(body.Block, context.CancellationToken) is not { } graph)
        {
            return;
        }

        var plain = hypotheses.Run(graph, method, subject: null, Contract.None, context.CancellationToken);
        foreach (var parameter in candidates)
        {
            if (Infer(graph, method, parameter, plain, hypotheses, context) is { } descriptor)
            {
                var location = parameter.Locations.IsDefaultOrEmpty ? Location.None : parameter.Locations[0];
                context.ReportDiagnostic(Diagnostic.Create(
                    descriptor,
                    location,
                    InferredContract.Properties(InferredContract.AttributeOf(descriptor)),
                    method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                    parameter.Name));
            }
        }
    }

    private static DiagnosticDescriptor? Infer(
        ControlFlowGraph graph,
        IMethodSymbol method,
        IParameterSymbol parameter,
        FlowOutcome plain,
        ContractHypotheses hypotheses,
        CodeBlockAnalysisContext context)
    {
        // Owned on entry: the body must release or keep it on every path, or the leak rule fires.
        var owned = hypotheses.Run(graph, method, parameter, Contract.TakesPinOwnership, context.CancellationToken).Against(plain, parameter);
        if (owned.IsConsistent)
        {
            if (owned.Reaches(HypothesisUse.Keep))
            {
                return Descriptors.InferredTakesPinOwnership;
            }

            if (owned.Reaches(HypothesisUse.Release))
            {
                return Descriptors.InferredReleasesPin;
            }
        }

        // Held on entry: only operations that need a held pin may touch it.
        var held = hypotheses.Run(graph, method, parameter, Contract.RequiresPin, context.CancellationToken).Against(plain, parameter);
        return held.IsConsistent && held.Reaches(HypothesisUse.NeedPin) && !held.Reaches(HypothesisUse.AnythingElse)
            ? Descriptors.InferredRequiresPin
            : null;
    }
}
