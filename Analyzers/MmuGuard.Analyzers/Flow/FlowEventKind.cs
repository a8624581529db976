namespace MmuGuard.Analyzers.Flow;

/// <summary>The kinds of point where the flow core records a value's facts for the rules to judge.</summary>
internal enum FlowEventKind
{
    /// <summary>A value reaches an <c>[OutOfBandSink]</c> parameter.</summary>
    OutOfBandSink,

    /// <summary>
    /// A value that may hold no pin reaches an <c>[OutOfBandSink]</c> parameter of a call whose result a
    /// <c>[NotifierCovered]</c> member keeps (a cache's mapping): covered by the cache, so only a use, not MMU0001.
    /// </summary>
    CoveredMapping,

    /// <summary>A value reaches a <c>[NotifierCoveredSink]</c> parameter.</summary>
    NotifierCoveredSink,

    /// <summary>A value is pinned by an <c>[AcquiresPin]</c> operation.</summary>
    UnconditionalPin,

    /// <summary>The bool result of a <c>[TryAcquiresPin]</c> call is discarded.</summary>
    PinOutcomeDiscarded,

    /// <summary>A value's pin is dropped by a <c>[ReleasesPin]</c> operation.</summary>
    Release,

    /// <summary>A value reaches a <c>[RequiresPin]</c> operation.</summary>
    RequirePin,

    /// <summary>A value is handed to a <c>[TakesPinOwnership]</c> parameter.</summary>
    OwnershipTransfer,

    /// <summary>A value is stored into a field or property of long-lived storage.</summary>
    StoreToMember,

    /// <summary>A value leaves to the caller as pinned: returned from a <c>[return: Pinned]</c> method, or written into a <c>[Pinned] out</c> parameter.</summary>
    ReturnAsPinned,

    /// <summary>A value's last holder goes away: the method exits, the local is overwritten, or a pinned result is discarded.</summary>
    ObligationEnds,

    /// <summary>The body's flow did not settle within the visit budget: nothing else was recorded for it.</summary>
    BodyNotAnalysed,
}
