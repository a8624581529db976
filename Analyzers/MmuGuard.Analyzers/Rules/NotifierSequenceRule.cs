using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0004: a borrowed PFN reaches a notifier-covered sink outside the snapshot / resolve / retry-check discipline.</summary>
internal sealed class NotifierSequenceRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public NotifierSequenceRule()
        : base(Descriptors.NotifierCoveredInstallWithoutSequenceCheck)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent)
    {
        var facts = flowEvent.Facts;
        if (flowEvent.Kind != FlowEventKind.NotifierCoveredSink || !facts.Has(ValueFacts.Borrowed) || !facts.Has(ValueFacts.ResolvedHere))
        {
            return null;
        }

        var reason = facts.Has(ValueFacts.ResolvedWithoutSnapshot) ? "without an invalidation-sequence snapshot taken before it was resolved"
            : facts.Has(ValueFacts.RetryUnchecked) ? "without an invalidation retry check after it was resolved"
            : facts.Has(ValueFacts.RetryRequested) ? "on a path where the retry check asked for a retry"
            : null;
        return reason is null ? null : Report(flowEvent, flowEvent.ValueName, flowEvent.TargetName, reason);
    }
}
