using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0005: a pin owned by the body is neither released, handed to an owner nor returned as pinned on some path.</summary>
internal sealed class PinLeakRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public PinLeakRule()
        : base(Descriptors.PinLeak)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.ObligationEnds && flowEvent.Facts.Has(ValueFacts.Owned)
            ? Report(flowEvent, flowEvent.ValueName)
            : null;
}
