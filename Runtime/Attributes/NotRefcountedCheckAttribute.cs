using System;

namespace MmuGuard;

/// <summary>
/// Marks a <see cref="bool"/> method or property whose result, when it equals <see cref="NotRefcountedWhen"/>, proves
/// that the tested value has no refcounted page behind it (<c>kvm_is_reserved_pfn()</c> true, <c>pfn_valid()</c>
/// false): on that edge the value holds no reference, so nothing is owed and a release of it does nothing, but it
/// cannot back a pinned out-of-band mapping and must not be pinned. The other edge proves nothing.
/// </summary>
/// <remarks>
/// The tested value is a static method's first argument or an instance member's receiver. A try-pin whose result
/// is the tested value (a pfn whose page comes back through a <see cref="TryAcquiresPinAttribute"/> <c>out</c>) did
/// not pin on that edge.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class NotRefcountedCheckAttribute : Attribute
{
    /// <summary>Creates the attribute; <paramref name="notRefcountedWhen"/> is the result that proves "no refcounted page".</summary>
    public NotRefcountedCheckAttribute(bool notRefcountedWhen = true)
    {
        NotRefcountedWhen = notRefcountedWhen;
    }

    /// <summary>The <see cref="bool"/> result that proves the tested value has no refcounted page.</summary>
    public bool NotRefcountedWhen { get; }
}
