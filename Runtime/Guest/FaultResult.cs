namespace MmuGuard.Guest;

/// <summary>The outcome of one attempt to handle a guest stage-2 fault.</summary>
public enum FaultResult
{
    /// <summary>A stage-2 entry now maps the frame.</summary>
    Installed,

    /// <summary>A stage-2 entry already mapped the frame; nothing was resolved.</summary>
    AlreadyMapped,

    /// <summary>An invalidation ran between the resolve and the install: the PFN was dropped and the fault must be retried.</summary>
    Retry,

    /// <summary>No memslot covers the guest frame (an MMIO exit, in KVM).</summary>
    NoMemslot,

    /// <summary>The backing host address has no VMA, or nothing resolvable is mapped there.</summary>
    NotPresent,
}
