using System;

namespace MmuGuard;

/// <summary>
/// Marks an operation that adds a page reference unconditionally (like <c>get_page</c>).
/// </summary>
/// <remarks>
/// On a parameter, the argument is pinned after the call and the caller owns that pin. On an instance method, the
/// receiver is pinned. Applied to a <see cref="MayBeNonRefcountedAttribute"/> value this is the CVE-2021-22543
/// shape.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AcquiresPinAttribute : Attribute
{
}
