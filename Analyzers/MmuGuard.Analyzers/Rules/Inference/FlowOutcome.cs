using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>One flow run over a body: its events and what the ownership rules report on them.</summary>
internal sealed class FlowOutcome
{
    private readonly ImmutableArray<FlowEvent> _events;
    private readonly HashSet<(string Id, SyntaxTree? Tree, TextSpan Span)> _diagnostics;
    private readonly HashSet<string> _reportedValues;

    private FlowOutcome(
        ImmutableArray<FlowEvent> events, HashSet<(string Id, SyntaxTree? Tree, TextSpan Span)> diagnostics, HashSet<string> reportedValues)
    {
        _events = events;
        _diagnostics = diagnostics;
        _reportedValues = reportedValues;
    }

    public static FlowOutcome Judge(ImmutableArray<FlowEvent> events, ImmutableArray<FlowRule> rules)
    {
        var diagnostics = new HashSet<(string Id, SyntaxTree? Tree, TextSpan Span)>();
        var reportedValues = new HashSet<string>();
        foreach (var flowEvent in events)
        {
            foreach (var rule in rules)
            {
                if (rule.Judge(flowEvent) is { } diagnostic)
                {
                    diagnostics.Add((diagnostic.Id, diagnostic.Location.SourceTree, diagnostic.Location.SourceSpan));
                    reportedValues.Add(flowEvent.ValueName);
                }
            }
        }

        return new FlowOutcome(events, diagnostics, reportedValues);
    }

    /// <summary>The events of the run.</summary>
    public ImmutableArray<FlowEvent> Events => _events;

    /// <summary>Whether every diagnostic of this run is one <paramref name="plain"/> reports too.</summary>
    public bool ReportsNothingNewAgainst(FlowOutcome plain)
    {
        foreach (var diagnostic in _diagnostics)
        {
            if (!plain._diagnostics.Contains(diagnostic))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// This run (with a hypothetical contract on <paramref name="parameter"/>) read against <paramref name="plain"/>
    /// (without it): whether it reports anything new or anything about the parameter (a body with a bug proves no
    /// contract), and the uses whose facts the hypothesis changed, which are the parameter's own.
    /// </summary>
    public HypothesisOutcome Against(FlowOutcome plain, IParameterSymbol parameter)
    {
        if (_reportedValues.Contains(parameter.Name))
        {
            return HypothesisOutcome.Contradicted;
        }

        if (!ReportsNothingNewAgainst(plain))
        {
            return HypothesisOutcome.Contradicted;
        }

        var plainFacts = new Dictionary<(FlowEventKind Kind, SyntaxTree? Tree, TextSpan Span), ValueFacts>();
        foreach (var flowEvent in plain._events)
        {
            plainFacts[(flowEvent.Kind, flowEvent.Location.SourceTree, flowEvent.Location.SourceSpan)] = flowEvent.Facts;
        }

        var uses = HypothesisUse.None;
        foreach (var flowEvent in _events)
        {
            var key = (flowEvent.Kind, flowEvent.Location.SourceTree, flowEvent.Location.SourceSpan);
            if (!plainFacts.TryGetValue(key, out var facts) || facts != flowEvent.Facts)
            {
                uses |= HypothesisUseOf(flowEvent);
            }
        }

        return new HypothesisOutcome(uses);
    }

    private static HypothesisUse HypothesisUseOf(FlowEvent flowEvent) => flowEvent.Kind switch
    {
        FlowEventKind.Release => HypothesisUse.Release,
        FlowEventKind.OwnershipTransfer or FlowEventKind.ReturnAsPinned => HypothesisUse.Keep,
        FlowEventKind.StoreToMember when flowEvent.TargetContract.Has(Contract.Pinned) => HypothesisUse.Keep,
        FlowEventKind.RequirePin or FlowEventKind.OutOfBandSink => HypothesisUse.NeedPin,
        FlowEventKind.ObligationEnds or FlowEventKind.BodyNotAnalysed => HypothesisUse.None,
        _ => HypothesisUse.AnythingElse,
    };
}
