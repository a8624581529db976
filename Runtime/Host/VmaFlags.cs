using System;

namespace MmuGuard.Host;

/// <summary>What kind of memory a VMA maps and how userspace may use it, which decides how its frames are resolved (GUP or follow-pte).</summary>
[Flags]
public enum VmaFlags
{
    /// <summary>Anonymous private memory, readable and writable: faulted in on demand, resolved by GUP with a reference.</summary>
    Normal = 0,

    /// <summary><c>VM_PFNMAP</c>: a driver inserts raw PFNs (special PTEs); GUP fails, follow-pte returns them without a reference.</summary>
    PfnMap = 1 << 0,

    /// <summary><c>VM_IO</c>: device memory; GUP fails.</summary>
    Io = 1 << 1,

    /// <summary><c>VM_MIXEDMAP</c>: raw PFNs (special PTEs) mixed with ordinary pages; GUP fails on the special ones.</summary>
    MixedMap = 1 << 2,

    /// <summary>
    /// <c>VM_WRITE</c> clear (<c>PROT_READ</c>): every PTE is read-only and a write fault or <c>FOLL_WRITE</c> GUP fails.
    /// Without it a VMA is readable and writable.
    /// </summary>
    ReadOnly = 1 << 3,
}
