using System;

namespace MmuGuard;

/// <summary>
/// Marks a page that may be valid but not refcounted (a tail of a non-compound higher-order allocation) or have no
/// page descriptor at all (MMIO, reserved memory): it must never be pinned unconditionally.
/// </summary>
/// <remarks>
/// Pinning such a page with an <see cref="AcquiresPinAttribute"/> operation moves its count from 0 to 1, and the
/// matching release frees it under its real owner (CVE-2021-22543). Use a <see cref="TryAcquiresPinAttribute"/>
/// operation and handle its failure instead.
/// </remarks>
[AttributeUsage(AttributeTargets.ReturnValue | AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class MayBeNonRefcountedAttribute : Attribute
{
}
