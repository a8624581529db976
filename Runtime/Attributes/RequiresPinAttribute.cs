using System;

namespace MmuGuard;

/// <summary>
/// Marks an operation that needs a held reference on the page: marking it dirty or accessed
/// (<c>set_page_dirty</c>, <c>mark_page_accessed</c>), or reading through a pinned mapping.
/// </summary>
/// <remarks>
/// On a parameter the argument must be pinned; on an instance method the receiver must be. Inside the annotated
/// method the value is treated as pinned but not owned.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RequiresPinAttribute : Attribute
{
}
