using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using MmuGuard.Analyzers.Contracts;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>
/// Runs the shared flow over one body as the compilation's contracts describe it, or as if one parameter (or the return
/// value) carried one more contract, and judges the events with every ownership rule. Created per compilation.
/// </summary>
internal sealed class ContractHypotheses
{
    private readonly KnownSymbols _known;
    private readonly ContractsFile _file;
    private readonly ImmutableArray<FlowRule> _rules;

    /// <summary>Hypotheses over <paramref name="actual"/>, the compilation's shared contracts (attributes and contracts files).</summary>
    public ContractHypotheses(ContractCache actual)
    {
        _known = actual.Known;
        _file = actual.File;
        Actual = actual;
        _rules = ImmutableArray.Create(OwnershipFlowAnalyzer.CreateRules());
    }

    /// <summary>The compilation's own contracts (attributes and contracts files).</summary>
    public ContractCache Actual { get; }

    /// <summary>
    /// The events and rule diagnostics of <paramref name="graph"/>, with <paramref name="contract"/> added to
    /// <paramref name="subject"/> (a parameter, or the method for its return value; none when it is <see langword="null"/>).
    /// </summary>
    public FlowOutcome Run(ControlFlowGraph graph, IMethodSymbol method, ISymbol? subject, Contract contract, CancellationToken cancellationToken)
    {
        var contracts = subject is null ? Actual : new ContractCache(_known, _file.With(subject.OriginalDefinition, contract));
        var sink = new FlowEventSink();
        FunctionFlowAnalysis.Run(contracts, graph, method, sink, cancellationToken);
        return FlowOutcome.Judge(sink.ToImmutable(), _rules);
    }
}
