using System;

namespace MmuGuard;

/// <summary>
/// Marks an operation that drops a page reference (like <c>put_page</c>, or unmapping an out-of-band map).
/// </summary>
/// <remarks>
/// On a parameter the argument's pin is released; on an instance method the receiver's. The value must hold a pin
/// on every path reaching the call, and must not be used afterwards.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ReleasesPinAttribute : Attribute
{
}
