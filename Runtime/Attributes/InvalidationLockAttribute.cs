using System;

namespace MmuGuard;

/// <summary>
/// Marks the lock that MMU-notifier invalidations take (<c>kvm-&gt;mmu_lock</c>), as a field, property or lock type
/// (or a scope type whose <c>Dispose</c> releases it): an invalidation retry check and the install it guards must sit
/// in one critical section of such a lock. Clang's <c>capability</c>, for the one capability MmuGuard checks.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class InvalidationLockAttribute : Attribute
{
}
