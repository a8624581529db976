using System;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// What may be true of one tracked value at one program point, as a set of possibilities: the join of two paths is
/// the union, so "pinned on some paths, released on others" is simply both bits, and "on some path" questions are
/// exact bit tests.
/// </summary>
[Flags]
internal enum ValueFacts
{
    None = 0,

    /// <summary>Holds no reference (borrowed, maybe non-refcounted, or a failed try-pin's out value).</summary>
    NotPinned = 1 << 0,

    /// <summary>Holds a pin the current code must release or hand over.</summary>
    Owned = 1 << 1,

    /// <summary>Holds a pin somebody else owns (a <c>[RequiresPin]</c> parameter, a <c>[Pinned]</c> field).</summary>
    Held = 1 << 2,

    /// <summary>The pin was dropped or the mapping unmapped.</summary>
    Released = 1 << 3,

    /// <summary>The pin was handed to an owner; no obligation is left.</summary>
    Escaped = 1 << 4,

    /// <summary>The page may be valid but not refcounted, or have no descriptor.</summary>
    MayBeNonRefcounted = 1 << 5,

    /// <summary>The value came from a <c>[Borrowed]</c> source.</summary>
    Borrowed = 1 << 6,

    /// <summary>The value was resolved in this body, so the sequence discipline is checkable here.</summary>
    ResolvedHere = 1 << 7,

    /// <summary>No invalidation-sequence snapshot was taken before the resolve on some path.</summary>
    ResolvedWithoutSnapshot = 1 << 8,

    /// <summary>No retry check has run since the resolve on some path.</summary>
    RetryUnchecked = 1 << 9,

    /// <summary>On some path the retry check asked for a retry.</summary>
    RetryRequested = 1 << 10,

    /// <summary>A try-pin ran on the value and its result has not been branched on yet.</summary>
    PinPending = 1 << 11,

    /// <summary>
    /// Holds a second pin besides the one <see cref="Owned"/> says (<c>get_page</c> twice on one page): a release
    /// drops this one first. Saturates at two; a third pin is not counted.
    /// </summary>
    ExtraPin = 1 << 12,

    /// <summary>
    /// The <c>out</c> value of a try-pin: when the try fails it holds the empty value (NULL, an unmapped map), which
    /// releases accept, unlike a page the try-pin was given and did not pin.
    /// </summary>
    EmptyWhenRefused = 1 << 13,

    /// <summary>
    /// A <c>[NotRefcountedCheck]</c> proved there is no refcounted page behind the value (a device or reserved pfn):
    /// it holds no reference and owes nothing, releases and marks accept it (they do nothing), but it cannot back a
    /// pinned out-of-band mapping (MMU0001).
    /// </summary>
    NotRefcounted = 1 << 14,

    /// <summary>
    /// Of an owning (<c>[Pinned]</c>) member: this body stored a pin there, so on the paths where the member is still
    /// <see cref="Held"/> an overwrite loses it.
    /// </summary>
    StoredPin = 1 << 15,

    /// <summary>The retry check of this value ran while no invalidation lock was held, in a body that does its own locking.</summary>
    CheckedOutsideLock = 1 << 16,

    /// <summary>The retry check ran before the body took or dropped any lock (it counts unless the body then takes one).</summary>
    CheckedBeforeLocking = 1 << 17,

    /// <summary>An invalidation lock was dropped since this value's retry check: the check's critical section is over.</summary>
    LockDroppedSinceCheck = 1 << 18,

    /// <summary>The lock facts of a retry check, replaced by the next check.</summary>
    LockChecks = CheckedOutsideLock | CheckedBeforeLocking | LockDroppedSinceCheck,

    /// <summary>The mutually exclusive ownership states (exclusive on one path, joined as a set).</summary>
    PinStates = NotPinned | Owned | Held | Released | Escaped | NotRefcounted,
}

/// <summary>Bit tests on <see cref="ValueFacts"/> without boxing.</summary>
internal static class ValueFactsExtensions
{
    public static bool Has(this ValueFacts facts, ValueFacts flag) => (facts & flag) != 0;

    /// <summary>Replaces the ownership state, keeping the orthogonal facts.</summary>
    public static ValueFacts WithState(this ValueFacts facts, ValueFacts state) =>
        (facts & ~(ValueFacts.PinStates | ValueFacts.PinPending | ValueFacts.ExtraPin)) | state;
}
