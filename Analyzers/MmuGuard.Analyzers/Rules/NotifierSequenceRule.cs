using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0004: a PFN resolved in the body (borrowed, or pinned by the resolve) reaches a notifier-covered sink outside the snapshot / resolve / retry-check discipline.</summary>
internal sealed class NotifierSequenceRule : FlowRule
{
    /// <summary>The property naming what the install lacks: <see cref="MissingSnapshot"/>, <see cref="MissingRetryCheck"/>, <see cref="MissingBoth"/> or <see cref="RetryIgnored"/>.</summary>
    public const string MissingProperty = "Missing";

    /// <summary>No snapshot was taken before the resolve on some path (a retry check follows it on every path).</summary>
    public const string MissingSnapshot = "Snapshot";

    /// <summary>A snapshot precedes the resolve, but no retry check runs between the resolve and the install on some path.</summary>
    public const string MissingRetryCheck = "RetryCheck";

    /// <summary>Neither a snapshot before the resolve nor a retry check after it, on some path.</summary>
    public const string MissingBoth = "Both";

    /// <summary>The discipline is there, but the install is reached on the edge where the retry check asked for a retry.</summary>
    public const string RetryIgnored = "RetryIgnored";

    /// <summary>The retry check ran outside a critical section of an <c>[InvalidationLock]</c> (before the body took it, or under another lock).</summary>
    public const string CheckOutsideLock = "CheckOutsideLock";

    /// <summary>The retry check ran under the invalidation lock, but the lock was dropped before the install.</summary>
    public const string LockDropped = "LockDropped";

    /// <summary>
    /// The property saying the installed value holds a pin on some path (a GUP'd pfn): the fix's retry exit must
    /// release it, or it would trade this diagnostic for a leak. <c>"true"</c> or absent.
    /// </summary>
    public const string HoldsPinProperty = "HoldsPin";

    /// <summary>Creates the rule.</summary>
    public NotifierSequenceRule()
        : base(Descriptors.NotifierCoveredInstallWithoutSequenceCheck)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent)
    {
        var facts = flowEvent.Facts;
        if (flowEvent.Kind != FlowEventKind.NotifierCoveredSink || !facts.Has(ValueFacts.ResolvedHere))
        {
            return null;
        }

        var noSnapshot = facts.Has(ValueFacts.ResolvedWithoutSnapshot);
        var noRetryCheck = facts.Has(ValueFacts.RetryUnchecked);
        var missing = noSnapshot && noRetryCheck ? MissingBoth
            : noSnapshot ? MissingSnapshot
            : noRetryCheck ? MissingRetryCheck
            : facts.Has(ValueFacts.RetryRequested) ? RetryIgnored
            : facts.Has(ValueFacts.CheckedOutsideLock) ? CheckOutsideLock
            : facts.Has(ValueFacts.LockDroppedSinceCheck) ? LockDropped
            : null;
        var reason = missing switch
        {
            MissingBoth or MissingSnapshot => "without an invalidation-sequence snapshot taken before it was resolved",
            MissingRetryCheck => "without an invalidation retry check after it was resolved",
            RetryIgnored => "on a path where the retry check asked for a retry",
            CheckOutsideLock => "with its retry check made outside a critical section of the invalidation lock",
            _ => "after the invalidation lock was dropped since its retry check",
        };
        if (missing is null)
        {
            return null;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(MissingProperty, missing);
        if (facts.Has(ValueFacts.Owned | ValueFacts.PinPending))
        {
            properties = properties.Add(HoldsPinProperty, "true");
        }

        return Report(flowEvent, properties, flowEvent.ValueName, flowEvent.TargetName, reason);
    }
}
