using System;

namespace MmuGuard;

/// <summary>
/// Marks a field that holds the PFN of a notifier-covered out-of-band mapping (a PFN cache, KVM's
/// <c>gfn_to_pfn_cache</c>): the bookkeeping generator writes refresh/invalidate/validity members and takes no pin.
/// </summary>
/// <remarks>
/// Because an MMU-notifier hook invalidates the mapping, it may hold a non-refcounted page; in exchange every user
/// checks validity before use and the notifier hook must call the generated <c>Invalidate…</c>. The field behaves as
/// a <see cref="NotifierCoveredAttribute"/> member. Never combine with <see cref="OutOfBandMappingAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class NotifierCoveredMappingAttribute : Attribute
{
}
