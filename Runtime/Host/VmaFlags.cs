using System;

namespace MmuGuard.Host;

/// <summary>What kind of memory a VMA maps, which decides how its frames are resolved (GUP or follow-pte).</summary>
[Flags]
public enum VmaFlags
{
    /// <summary>Anonymous memory: faulted in on demand, resolved by GUP with a reference.</summary>
    Normal = 0,

    /// <summary><c>VM_PFNMAP</c>: a driver inserts raw PFNs; GUP fails, follow-pte returns them without a reference.</summary>
    PfnMap = 1 << 0,

    /// <summary><c>VM_IO</c>: device memory; GUP fails.</summary>
    Io = 1 << 1,

    /// <summary><c>VM_MIXEDMAP</c>: raw PFNs mixed with ordinary pages; GUP works only on refcounted pages.</summary>
    MixedMap = 1 << 2,
}
