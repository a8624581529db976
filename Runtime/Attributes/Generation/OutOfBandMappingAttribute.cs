using System;

namespace MmuGuard;

/// <summary>
/// Marks a field that holds the PFN of an out-of-band mapping (a vmcs02 APIC-access page, a mapped control block):
/// the bookkeeping generator writes the <c>Map…</c>/<c>Unmap…</c> members that pin the page for as long as the
/// mapping lives, as KVM's <c>kvm_vcpu_map</c>/<c>kvm_vcpu_unmap</c> do by hand.
/// </summary>
/// <remarks>
/// The field must be a mutable instance field of type <c>MmuGuard.Physical.Pfn</c> in a partial, non-generic class
/// or struct. The field owns the pin the generated <c>Map…</c> takes (it behaves as a <see cref="PinnedAttribute"/>
/// member), and the generated code is the only code that should write it. See <c>docs/design/generator.md</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class OutOfBandMappingAttribute : Attribute
{
}
