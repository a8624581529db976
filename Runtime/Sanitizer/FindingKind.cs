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

    /// <summary>A pin was still held by its owner when the owner was torn down.</summary>
    PinLeakedAtTeardown,

    /// <summary>A stage-2 entry was still installed when its VM was torn down.</summary>
    Stage2EntryLeftAtTeardown,

    /// <summary>An out-of-band map was used after it was unmapped.</summary>
    UseAfterUnmap,
}
