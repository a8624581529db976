using System;

namespace MmuGuard;

/// <summary>
/// Marks a parameter whose PFN is handed to "hardware" outside the stage-2 tables (a vmcs02 APIC-access or
/// virtual-APIC address, a mapped control block). MMU notifiers never reach it, so the page must be pinned for as
/// long as the mapping exists.
/// </summary>
/// <remarks>
/// A borrowed or possibly non-refcounted PFN reaching this sink without a successful pin is MmuGuard's headline
/// bug: "maps a non-refcounted page without notifier coverage". The sink does not take the pin over; combine it
/// with <see cref="TakesPinOwnershipAttribute"/> when it does.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class OutOfBandSinkAttribute : Attribute
{
}
