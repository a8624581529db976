namespace MmuGuard.Mapping;

/// <summary>Why a page could not be pinned for an out-of-band mapping; <see cref="None"/> means it was pinned.</summary>
public enum PinRefusal
{
    /// <summary>Not refused: the page is pinned.</summary>
    None = 0,

    /// <summary>The page has a descriptor but is not refcounted (a tail of a non-compound higher-order block).</summary>
    NotRefcounted,

    /// <summary>The PFN has no page descriptor at all (MMIO, reserved or carve-out memory).</summary>
    NoPageDescriptor,

    /// <summary>No memslot covers the guest frame.</summary>
    NoMemslot,

    /// <summary>The host address is not backed: no VMA, or no page-table entry that faulting could fill.</summary>
    NotPresent,

    /// <summary>
    /// The page is remapped memory (<c>VM_PFNMAP</c>/<c>VM_IO</c>), which since Linux 6.13 cannot be pinned whatever its
    /// refcount: <c>hva_to_pfn_remapped</c> fails a pinning caller with -EINVAL unless <c>allow_unsafe_mappings</c>.
    /// </summary>
    RemappedMemory,

    /// <summary>The access needs write permission the host or the memslot does not give (a read-only VMA, PTE or memslot).</summary>
    ReadOnly,

    /// <summary>The VM has been destroyed: nothing can be mapped for it any more.</summary>
    VmDestroyed,
}
