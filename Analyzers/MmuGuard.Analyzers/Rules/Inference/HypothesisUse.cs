using System;

namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>What a body did with a parameter that carried a hypothetical contract, as bits (some path each).</summary>
[Flags]
internal enum HypothesisUse
{
    None = 0,

    /// <summary>Handed to a <c>[ReleasesPin]</c> operation.</summary>
    Release = 1 << 0,

    /// <summary>Kept by an owner: a <c>[Pinned]</c> member, a <c>[TakesPinOwnership]</c> parameter, a pinned return.</summary>
    Keep = 1 << 1,

    /// <summary>Used where a held pin is needed: <c>[RequiresPin]</c>, <c>[OutOfBandSink]</c>.</summary>
    NeedPin = 1 << 2,

    /// <summary>Anything else the flow records: pinned, stored, installed, released or kept.</summary>
    AnythingElse = 1 << 3,
}
