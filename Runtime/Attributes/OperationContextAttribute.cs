using System;

namespace MmuGuard;

/// <summary>
/// Marks a type whose objects live for one operation and carry its state between helpers (KVM's
/// <c>struct kvm_page_fault</c>: <c>pfn</c>, <c>mmu_seq</c>, <c>refcounted_page</c>): its members are not long-lived
/// storage, and a body follows what it stores into them (<c>fault.Pfn</c>) like a local.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class OperationContextAttribute : Attribute
{
}
