namespace MmuGuard.Sanitizer;

/// <summary>The ownership bugs the runtime sanitizer recognises as they happen.</summary>
public enum FindingKind
{
    /// <summary>A page returned to the allocator while a stage-2 entry, out-of-band map or PFN cache still points at it.</summary>
    FreedWhileMapped,

    /// <summary>An unconditional pin moved a non-refcounted page's count from 0 to 1 (the CVE-2021-22543 shape).</summary>
    PinOfNonRefcountedPage,

    /// <summary>A pin was attempted on a PFN that has no page descriptor.</summary>
    PinWithoutDescriptor,

    /// <summary>An unpin would move a page's count below zero (a double or unbalanced release).</summary>
    UnpinBelowZero,

    /// <summary>
    /// A reference was released with the other kind's call: <c>put_page</c> on a reference <c>pin_user_pages</c>
    /// took (FOLL_PIN), or <c>unpin_user_page</c> on one <c>get_page</c> took (FOLL_GET).
    /// </summary>
    MismatchedRelease,

    /// <summary>A pin was still held by its owner when the owner was torn down.</summary>
    PinLeakedAtTeardown,

    /// <summary>A stage-2 entry was still installed when its VM was torn down.</summary>
    Stage2EntryLeftAtTeardown,

    /// <summary>An out-of-band map was used after it was unmapped.</summary>
    UseAfterUnmap,

    /// <summary>
    /// An unpin dropped the last count of a page its driver still owns (a tail of a non-compound block), so the
    /// allocator took it back from under the driver: the use-after-free of CVE-2021-22543.
    /// </summary>
    FreedUnderDriver,

    /// <summary>A driver freed its non-compound block while somebody still held a pin on one of its pages.</summary>
    FreedWhilePinned,

    /// <summary>A page was freed a second time: the driver freed a block page the allocator had already taken back.</summary>
    DoubleFree,

    /// <summary>A page was marked dirty or accessed without a reference held on it (or it cannot hold one).</summary>
    MarkWithoutReference,

    /// <summary>A guest page was released that the page source never pinned (an unbalanced release).</summary>
    UnbalancedRelease,
}
