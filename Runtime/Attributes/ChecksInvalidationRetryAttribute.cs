using System;

namespace MmuGuard;

/// <summary>
/// Marks a method that returns <see langword="true"/> when an invalidation ran or is running since a sequence
/// snapshot (<c>mmu_invalidate_retry</c>): the caller must drop the resolved PFN and retry instead of installing it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ChecksInvalidationRetryAttribute : Attribute
{
}
