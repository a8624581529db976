using System;

namespace MmuGuard;

/// <summary>
/// Marks a method that drops a lock (<c>write_unlock(&amp;kvm-&gt;mmu_lock)</c>, a lock scope's <c>Dispose</c>): the
/// receiver, or the argument of a parameter carrying the attribute, is the lock. Clang's <c>RELEASE()</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class ReleasesLockAttribute : Attribute
{
}
