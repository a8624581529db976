using System;

namespace MmuGuard;

/// <summary>
/// Marks a PFN obtained without taking a reference (like <c>follow_pte</c>): it stays valid only while an
/// MMU notifier covers its use.
/// </summary>
/// <remarks>
/// On a return value or <c>out</c> parameter it describes what the callee hands out; on an ordinary parameter it
/// tells the callee's own analysis that the argument is borrowed. A borrowed PFN may be installed into a
/// <see cref="NotifierCoveredSinkAttribute"/> sink under the invalidation-sequence discipline, but must be pinned
/// before it reaches an <see cref="OutOfBandSinkAttribute"/> sink or a <see cref="RequiresPinAttribute"/> operation.
/// On a field or property of an <see cref="OperationContextAttribute"/> type (<c>kvm_page_fault::pfn</c>) it names the
/// PFN the operation resolves and installs: a call handed the context may resolve it, a
/// <see cref="NotifierCoveredSinkAttribute"/> context parameter installs it. Anywhere else on a field or property it is
/// MMU0010: long-lived storage of a borrowed PFN must be <see cref="NotifierCoveredAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.ReturnValue | AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class BorrowedAttribute : Attribute
{
}
