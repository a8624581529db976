using System;

namespace MmuGuard;

/// <summary>
/// Marks a parameter, property or field whose PFN the CPU itself consumes while a vCPU runs in guest mode: a VMCS or
/// VMCB address field such as the APIC-access page, the virtual-APIC page or the posted-interrupt descriptor.
/// </summary>
/// <remarks>
/// Software cannot take an address back from hardware in the middle of guest execution. A PFN written here stays
/// safe only in one of three ways: it is pinned for as long as the field holds it (combine with
/// <see cref="OutOfBandSinkAttribute"/>), or an invalidation of its page rewrites the field before the vCPU re-enters
/// the guest (say so with <see cref="ReloadedOnInvalidationAttribute"/>). A notifier-covered or borrowed PFN written
/// without either is MMU0022: the notifier clears the software copy while the CPU keeps using the stale address.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class HardwareFieldSinkAttribute : Attribute
{
}
