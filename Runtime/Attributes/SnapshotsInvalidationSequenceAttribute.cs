using System;

namespace MmuGuard;

/// <summary>
/// Marks a method that returns a snapshot of the MMU-notifier invalidation sequence (<c>mmu_invalidate_seq</c>),
/// taken before a PFN is resolved.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SnapshotsInvalidationSequenceAttribute : Attribute
{
}
