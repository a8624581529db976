using System;

namespace MmuGuard.Guest;

/// <summary>A memslot's flags (<c>kvm_userspace_memory_region.flags</c>).</summary>
[Flags]
public enum MemslotFlags
{
    /// <summary>Writable guest memory, no dirty logging.</summary>
    None = 0,

    /// <summary><c>KVM_MEM_LOG_DIRTY_PAGES</c>: every guest write is recorded in the slot's dirty bitmap.</summary>
    LogDirtyPages = 1 << 0,

    /// <summary><c>KVM_MEM_READONLY</c>: the guest may read but every write faults (<see cref="FaultResult.ReadOnlyFault"/>).</summary>
    ReadOnly = 1 << 1,
}
