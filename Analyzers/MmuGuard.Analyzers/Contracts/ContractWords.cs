using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Contracts;

/// <summary>The contract words a contracts-file line may use: the attribute names without <c>Attribute</c>.</summary>
internal static class ContractWords
{
    /// <summary>The contract a word attaches to a member or parameter; <see cref="Contract.None"/> for an unknown word.</summary>
    public static Contract OnTarget(string word) => word switch
    {
        "Pinned" => Contract.Pinned,
        "Borrowed" => Contract.Borrowed,
        "MayBeNonRefcounted" => Contract.MayBeNonRefcounted,
        "AcquiresPin" => Contract.AcquiresPin,
        "TryAcquiresPin" or "TryAcquiresPin(true)" => Contract.TryAcquiresPin,
        "TryAcquiresPin(false)" => Contract.TryAcquiresPin | Contract.TryAcquiresPinOnFalse,
        "ReleasesPin" => Contract.ReleasesPin,
        "TakesPinOwnership" => Contract.TakesPinOwnership,
        "RequiresPin" => Contract.RequiresPin,
        "OutOfBandSink" => Contract.OutOfBandSink,
        "NotifierCoveredSink" => Contract.NotifierCoveredSink,
        "NotifierCovered" => Contract.NotifierCovered,
        "SnapshotsInvalidationSequence" => Contract.SnapshotsInvalidationSequence,
        "ChecksInvalidationRetry" => Contract.ChecksInvalidationRetry,
        "AcquiresLock" => Contract.AcquiresLock,
        "ReleasesLock" => Contract.ReleasesLock,
        "InvalidationLock" => Contract.InvalidationLock,
        _ => Contract.None,
    };

    /// <summary>The contract a word attaches to a method's return value; <see cref="Contract.None"/> when it has no return form.</summary>
    public static Contract OnReturn(string word) => word switch
    {
        "Pinned" => Contract.ReturnPinned,
        "Borrowed" => Contract.ReturnBorrowed,
        "MayBeNonRefcounted" => Contract.ReturnMayBeNonRefcounted,
        "NotZero" => Contract.ReturnNotZero,
        _ => Contract.None,
    };

    /// <summary>The word (attribute name) of one contract bit, for messages.</summary>
    public static string NameOf(Contract flag) => flag switch
    {
        Contract.Pinned or Contract.ReturnPinned => "Pinned",
        Contract.Borrowed or Contract.ReturnBorrowed => "Borrowed",
        Contract.MayBeNonRefcounted or Contract.ReturnMayBeNonRefcounted => "MayBeNonRefcounted",
        Contract.ReturnNotZero => "NotZero",
        Contract.AcquiresPin => "AcquiresPin",
        Contract.TryAcquiresPin => "TryAcquiresPin",
        Contract.ReleasesPin => "ReleasesPin",
        Contract.TakesPinOwnership => "TakesPinOwnership",
        Contract.RequiresPin => "RequiresPin",
        Contract.OutOfBandSink => "OutOfBandSink",
        Contract.NotifierCoveredSink => "NotifierCoveredSink",
        Contract.NotifierCovered => "NotifierCovered",
        Contract.SnapshotsInvalidationSequence => "SnapshotsInvalidationSequence",
        Contract.ChecksInvalidationRetry => "ChecksInvalidationRetry",
        Contract.AcquiresLock => "AcquiresLock",
        Contract.ReleasesLock => "ReleasesLock",
        Contract.InvalidationLock => "InvalidationLock",
        _ => flag.ToString(),
    };
}
