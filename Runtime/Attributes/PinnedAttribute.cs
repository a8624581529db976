using System;

namespace MmuGuard;

/// <summary>
/// Marks a value that carries a page reference (a pin) owned by whoever holds it.
/// </summary>
/// <remarks>
/// <para>On a return value or an <c>out</c> parameter: the callee took the reference and the caller now owns it
/// (like <c>get_user_pages</c>). The caller must release it, store it in an owning member, or return it.</para>
/// <para>On a field or property: the member owns the pins stored into it. Storing a pinned value there hands the
/// pin over; the declaring type is responsible for releasing it at teardown.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.ReturnValue | AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class PinnedAttribute : Attribute
{
}
