using MmuGuard.Guest;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Mapping;

/// <summary>
/// Resolves guest frames for pinned out-of-band mappings (KVM's <c>kvm_vcpu_map</c>): pins the backing page on
/// success and refuses a page that cannot be pinned, so the mapping can hold its pin for its whole life.
/// </summary>
/// <remarks>
/// Implemented by <c>MmuGuard.Guest.Vm</c>; a downstream sim may implement it over its own memory model. The
/// generated <c>Map…</c>/<c>Unmap…</c> members of a <see cref="MappingBookkeepingAttribute"/> type call only this.
/// </remarks>
public interface IPinnedPageSource
{
    /// <summary>The sanitizer that hears of leaked pins at teardown, or <see langword="null"/> when none is attached.</summary>
    MmuSanitizer? Sanitizer { get; }

    /// <summary>
    /// Resolves <paramref name="gfn"/> and pins its page. Returns <see langword="true"/> with the pinned frame, or
    /// <see langword="false"/> with the reason in <paramref name="refusal"/>; a non-refcounted page or a PFN without
    /// a descriptor is always refused, never pinned.
    /// </summary>
    bool TryPinGuestPage(Gfn gfn, [TryAcquiresPin] out Pfn pfn, out PinRefusal refusal);

    /// <summary>Drops the pin <see cref="TryPinGuestPage"/> took on <paramref name="pfn"/>.</summary>
    void ReleaseGuestPage([ReleasesPin] Pfn pfn);
}
