namespace MmuGuard.Guest;

/// <summary>The outcome of one attempt to handle a guest stage-2 fault.</summary>
public enum FaultResult
{
    /// <summary>A stage-2 entry now maps the frame.</summary>
    Installed,

    /// <summary>A stage-2 entry already mapped the frame with the access asked for; nothing was resolved.</summary>
    AlreadyMapped,

    /// <summary>An invalidation ran between the resolve and the install: the PFN was dropped and the fault must be retried.</summary>
    Retry,

    /// <summary>No memslot covers the guest frame (an MMIO exit, in KVM).</summary>
    NoMemslot,

    /// <summary>The backing host address has no VMA, or nothing resolvable is mapped there.</summary>
    NotPresent,

    /// <summary>
    /// A write to memory the host maps read-only: a read-only memslot (<c>KVM_MEM_READONLY</c>) or a read-only PTE in
    /// remapped memory (<c>KVM_PFN_ERR_RO_FAULT</c>). KVM emulates the access or exits to userspace; nothing is mapped.
    /// </summary>
    ReadOnlyFault,

    /// <summary>
    /// The host refuses the page for this access (<c>KVM_PFN_ERR_FAULT</c>, -EFAULT to userspace): a write to a VMA
    /// without <c>VM_WRITE</c>, or, under <see cref="KvmPolicy.Fix2021"/>, a remapped page it cannot take a reference on.
    /// </summary>
    Refused,
}
