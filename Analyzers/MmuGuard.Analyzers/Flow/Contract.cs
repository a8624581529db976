using System;

namespace MmuGuard.Analyzers.Flow;

/// <summary>The ownership attributes one symbol carries (a method with its return value, a parameter, a field or a property), as bits.</summary>
[Flags]
internal enum Contract : long
{
    None = 0,
    Pinned = 1 << 0,
    Borrowed = 1 << 1,
    MayBeNonRefcounted = 1 << 2,
    AcquiresPin = 1 << 3,
    TryAcquiresPin = 1 << 4,

    /// <summary>Set with <see cref="TryAcquiresPin"/> when its success value is <see langword="false"/>.</summary>
    TryAcquiresPinOnFalse = 1 << 5,
    ReleasesPin = 1 << 6,
    TakesPinOwnership = 1 << 7,
    RequiresPin = 1 << 8,
    OutOfBandSink = 1 << 9,
    NotifierCoveredSink = 1 << 10,
    NotifierCovered = 1 << 11,
    SnapshotsInvalidationSequence = 1 << 12,
    ChecksInvalidationRetry = 1 << 13,
    ReturnPinned = 1 << 14,
    ReturnBorrowed = 1 << 15,
    ReturnMayBeNonRefcounted = 1 << 16,

    /// <summary>On a method: at least one of its parameters carries a contract, so a call to it needs the flow.</summary>
    HasAnnotatedParameter = 1 << 17,

    /// <summary>On a parameter: <c>[DoesNotReturnIf(false)]</c>, the call returns only when the argument is true.</summary>
    ReturnsOnlyIfTrue = 1 << 18,

    /// <summary>On a parameter: <c>[DoesNotReturnIf(true)]</c>, the call returns only when the argument is false.</summary>
    ReturnsOnlyIfFalse = 1 << 19,

    /// <summary>Set with <see cref="TryAcquiresPin"/> when its success is an <c>int</c> or enum result (<c>SuccessResult</c>).</summary>
    TryAcquiresPinOnResult = 1 << 20,

    /// <summary>On a static field or property: <c>[ErrorValue]</c>, an error value of its type.</summary>
    ErrorValue = 1 << 21,

    /// <summary>On a method or property: <c>[ErrorCheck]</c>, true exactly for error values.</summary>
    ErrorCheck = 1 << 22,
    /// <summary>On a parameter: <c>[MovesReferenceToResult]</c>, the call's result names the argument's page reference from then on.</summary>
    MovesReferenceToResult = 1 << 23,

    /// <summary>On a method or property: <c>[NotRefcountedCheck]</c>, its true result proves the tested value has no refcounted page.</summary>
    NotRefcountedCheck = 1 << 24,

    /// <summary>Set with <see cref="NotRefcountedCheck"/> when the proving result is <see langword="false"/> (<c>pfn_valid()</c>).</summary>
    NotRefcountedCheckOnFalse = 1 << 25,

    /// <summary>Set with <see cref="TryAcquiresPinOnResult"/> when no result is above the success value (<c>SuccessIsHighest</c>).</summary>
    TryAcquiresPinSuccessIsHighest = 1 << 26,

    /// <summary>On a method: it returns a <c>MapResult</c>, the "mapped or refused" outcome of an out-of-band map its owner keeps.</summary>
    ReturnsMapOutcome = 1 << 27,

    /// <summary>On a method (its receiver) or parameter: <c>[AcquiresLock]</c>, takes the lock.</summary>
    AcquiresLock = 1 << 28,

    /// <summary>On a method (its receiver) or parameter: <c>[ReleasesLock]</c>, drops the lock.</summary>
    ReleasesLock = 1 << 29,

    /// <summary>On a field, property or type: <c>[InvalidationLock]</c>, a lock MMU-notifier invalidations take.</summary>
    InvalidationLock = 1 << 30,

    /// <summary>On a type: <c>[OperationContext]</c>, per-operation state whose members are not long-lived storage.</summary>
    OperationContext = 1L << 31,

    /// <summary>On a method: <c>[return: NotZero]</c>, its result is never zero or null (<c>kmap()</c>).</summary>
    ReturnNotZero = 1L << 32,

    /// <summary>Of a method: a parameter's type is an <c>[OperationContext]</c>, whose <c>[Borrowed]</c> members the call may resolve or install.</summary>
    HasContextArgument = 1L << 33,

    /// <summary>The attributes that act on an instance method's receiver.</summary>
    ReceiverForms = AcquiresPin | TryAcquiresPin | ReleasesPin | RequiresPin,
}

/// <summary>Bit tests on <see cref="Contract"/> without boxing (Enum.HasFlag boxes on netstandard2.0).</summary>
internal static class ContractExtensions
{
    public static bool Has(this Contract contract, Contract flag) => (contract & flag) != 0;
}
