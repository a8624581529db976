using System;

namespace MmuGuard;

/// <summary>
/// Marks a <see cref="bool"/> method or property that returns <see langword="true"/> exactly for error values
/// (<c>is_error_noslot_pfn()</c>, <c>is_error_page()</c>): the tested value (a static method's first argument, an
/// instance member's receiver) holds no pin on the <see langword="true"/> edge, and a
/// <see cref="TryAcquiresPinAttribute"/> call whose result it is pinned exactly on the <see langword="false"/> edge.
/// On a parameter, the method's result tests that argument instead (a helper that takes more than the pfn, such as
/// <c>handle_abnormal_pfn(vcpu, fault, pfn)</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class ErrorCheckAttribute : Attribute
{
}
