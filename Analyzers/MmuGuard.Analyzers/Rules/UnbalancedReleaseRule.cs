using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0007: a release of a value that on some path was already released or never pinned.</summary>
internal sealed class UnbalancedReleaseRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public UnbalancedReleaseRule()
        : base(Descriptors.UnbalancedRelease)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent)
    {
        if (flowEvent.Kind != FlowEventKind.Release)
        {
            return null;
        }

        return flowEvent.Facts.Has(ValueFacts.Released) ? Report(flowEvent, flowEvent.ValueName, "it was already released")
            : flowEvent.Facts.Has(ValueFacts.NotPinned) ? Report(flowEvent, flowEvent.ValueName, "it was never pinned")
            : null;
    }
}
