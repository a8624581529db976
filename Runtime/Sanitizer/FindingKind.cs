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

    /// <summary>
    /// A mapping grants the guest write access to a page the host maps read-only (a read-only PTE or a read-only
    /// memslot): the writable-bypass half of CVE-2021-22543, fixed by bd2fae8da794 ("do not assume PTE is writable
    /// after follow_pfn").
    /// </summary>
    WritableMappingOfReadOnlyPage,

    /// <summary>
    /// A stage-2 entry was installed for a frame that is already free in the allocator: the PFN went stale between
    /// the resolve and the install, which the invalidation-sequence retry exists to catch.
    /// </summary>
    StaleInstall,

    /// <summary>
    /// Not a bug (<see cref="FindingSeverity.TrustedUnsafe"/>): remapped memory (<c>VM_PFNMAP</c>/<c>VM_IO</c>) was
    /// mapped out of band with no reference because the VM runs with <c>allow_unsafe_mappings</c>, trusting userspace
    /// to keep it alive.
    /// </summary>
    TrustedUnsafeMapping,

    /// <summary>
    /// Not a bug (<see cref="FindingSeverity.Note"/>): a <c>munmap</c> found no VMA in its range. Linux returns success;
    /// in a sim it is usually a second unmap of the same range. No frame is concerned: the finding carries the range in
    /// <see cref="Finding.Range"/> (its PFN is 0).
    /// </summary>
    UnmapOfUnmappedRange,

    /// <summary>
    /// A vCPU ran in guest mode with a hardware field (a vmcs02 address the CPU consumes) naming a frame its guest
    /// page no longer maps: the invalidation neither kicked the vCPU out with a reload request nor was kept off by a
    /// pin, so the hardware uses a page the host already took back.
    /// </summary>
    StaleHardwareAddress,

    /// <summary>
    /// A PFN cache's frame was used after the cache's lock was dropped and an invalidation changed the host mapping in
    /// between: the check under the lock no longer vouches for the frame (<c>kvm_gpc_check</c> then use must share one
    /// critical section).
    /// </summary>
    StaleCacheUse,
}
