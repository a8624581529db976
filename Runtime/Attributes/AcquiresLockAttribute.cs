using System;

namespace MmuGuard;

/// <summary>
/// Marks a method that takes a lock (<c>write_lock(&amp;kvm-&gt;mmu_lock)</c>): the receiver of an instance method, or
/// the argument of a parameter carrying the attribute, is the lock; a method returning a lock scope (released by its
/// <c>Dispose</c>) takes the lock for the scope's <c>using</c>. Clang's <c>ACQUIRE()</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class AcquiresLockAttribute : Attribute
{
}
