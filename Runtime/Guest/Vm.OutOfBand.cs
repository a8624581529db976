using System;
using System.Diagnostics.CodeAnalysis;
using MmuGuard.Host;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Guest;

// Pinned out-of-band maps and guest-page pins (kvm_vcpu_map / kvm_vcpu_unmap).
public sealed partial class Vm
{
    /// <summary>
    /// Maps <paramref name="gfn"/> writable out of band for <paramref name="owner"/> (<c>kvm_vcpu_map</c>); see
    /// <see cref="TryMapOutOfBand(Gfn, string, bool, out OutOfBandMap, out PinRefusal)"/>.
    /// </summary>
    public bool TryMapOutOfBand(Gfn gfn, string owner, [TryAcquiresPin][MaybeNullWhen(false)] out OutOfBandMap map, out PinRefusal refusal) =>
        TryMapOutOfBand(gfn, owner, writable: true, out map, out refusal);

    /// <summary>
    /// Maps <paramref name="gfn"/> out of band for <paramref name="owner"/> (<c>__kvm_vcpu_map</c>): pins the page for
    /// as long as the map lives, or refuses a page that cannot be pinned with the reason in <paramref name="refusal"/>.
    /// Under <see cref="KvmPolicy.Kvm613"/> remapped memory is refused (<see cref="PinRefusal.RemappedMemory"/>)
    /// unless <see cref="AllowUnsafeMappings"/>, which maps it with no reference and reports it as
    /// <see cref="FindingKind.TrustedUnsafeMapping"/>. The pre-6.13 policies pin as KVM then did. A destroyed VM refuses
    /// with <see cref="PinRefusal.VmDestroyed"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    public bool TryMapOutOfBand(Gfn gfn, string owner, bool writable, [TryAcquiresPin][MaybeNullWhen(false)] out OutOfBandMap map, out PinRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (TryPinFor(gfn, owner, writable, out var pfn, out var referenced, out refusal))
        {
            _memory.AddMapping(pfn, OutOfBandMapper);
            map = new OutOfBandMap(this, gfn, pfn, owner, referenced, writable);
            return true;
        }

        if (refusal == PinRefusal.RemappedMemory && AllowUnsafeMappings && TryMapUnsafe(gfn, owner, writable, out map, out refusal))
        {
            return true;
        }

        map = null;
        return false;
    }

    /// <inheritdoc />
    /// <remarks>Remapped memory is refused under <see cref="KvmPolicy.Kvm613"/> even with <see cref="AllowUnsafeMappings"/>: the caller expects a pin it can release.</remarks>
    public bool TryPinGuestPage(Gfn gfn, [TryAcquiresPin] out Pfn pfn, out PinRefusal refusal)
        => TryPinFor(gfn, _pinOwner, writable: true, out pfn, out _, out refusal);

    /// <inheritdoc />
    public void ReleaseGuestPage([ReleasesPin] Pfn pfn) => ReleasePinOf(pfn, _pinOwner);

    // kvm_vcpu_unmap: a writable map dirties the guest frame in the dirty log; a pinned page is marked dirty and
    // accessed, then unpinned. A map taken with no reference (trusted-unsafe, or a page-less frame) only goes away.
    internal void ReleaseOutOfBand([ReleasesPin] Pfn pfn, Gfn gfn, string owner, bool referenced, bool dirty)
    {
        CheckThread();
        if (dirty)
        {
            MarkPageDirty(gfn);
        }

        _memory.RemoveMapping(pfn, OutOfBandMapper);
        if (!referenced)
        {
            return;
        }

        if (dirty)
        {
            _memory.MarkDirty(pfn);
        }

        _memory.MarkAccessed(pfn);
        ReleasePinOf(pfn, owner);
    }

    // A pin is released by whoever took it: releasing another holder's pin is as unbalanced as releasing none.
    private void ReleasePinOf([ReleasesPin] Pfn pfn, string owner)
    {
        CheckThread();
        if (!ForgetGuestPin(pfn, owner, out var referenced))
        {
            if (Sanitizer is { Enabled: true } sanitizer)
            {
                sanitizer.Report(FindingKind.UnbalancedRelease, pfn, owner, nameof(ReleaseGuestPage), "no pin on this frame is held for this owner: a double or unbalanced release");
            }

            return;
        }

        // Before 6.13 reserved and page-less frames were accepted with no reference, and released with none.
        if (referenced)
        {
            _memory.Unpin(pfn);
        }
    }

    // __kvm_vcpu_map's resolve (kvm_follow_pfn with .pin = true): GUP for ordinary memory; remapped memory by policy.
    private bool TryPinFor(Gfn gfn, string owner, bool writable, [TryAcquiresPin] out Pfn pfn, out bool referenced, out PinRefusal refusal)
    {
        CheckThread();
        pfn = default;
        referenced = false;
        if (IsDestroyed)
        {
            refusal = PinRefusal.VmDestroyed; // a Try method answers with its reason rather than throwing
            return false;
        }

        if (!TryFindMemslot(gfn, out var slot))
        {
            refusal = PinRefusal.NoMemslot;
            return false;
        }

        if (writable && slot.IsReadOnly)
        {
            refusal = PinRefusal.ReadOnly;
            return false;
        }

        var hva = slot.HostAddressOf(gfn);
        var vma = _mm.FindVma(hva);
        if (vma is null)
        {
            refusal = PinRefusal.NotPresent;
            return false;
        }

        if (!vma.RefusesGetUserPages)
        {
            if (_mm.TryGetUserPages(hva, writable, out pfn, out _))
            {
                referenced = true;
                _guestPins.Add(new GuestPin(pfn, owner, Referenced: true));
                refusal = PinRefusal.None;
                return true;
            }

            refusal = ClassifyGupFailure(hva, vma, writable);
            return false;
        }

        if (Policy == KvmPolicy.Kvm613)
        {
            refusal = PinRefusal.RemappedMemory; // hva_to_pfn_remapped: kfp->pin && !allow_unsafe_mappings -> -EINVAL
            return false;
        }

        if (!_mm.TryFollowPte(hva, out var borrowed, out var pteWritable))
        {
            refusal = PinRefusal.NotPresent;
            return false;
        }

        if (Policy == KvmPolicy.Fix2021 && writable && !pteWritable)
        {
            refusal = PinRefusal.ReadOnly;
            return false;
        }

        refusal = PinRefusal.None;
        if (IsReservedPfn(borrowed))
        {
            // kvm_is_reserved_pfn: both pre-6.13 policies accept the frame and take no reference.
            pfn = borrowed;
            _guestPins.Add(new GuestPin(pfn, owner, Referenced: false));
            return true;
        }

        if (TryGetRemappedReference(borrowed, nameof(TryMapOutOfBand)))
        {
            pfn = borrowed;
        }
        else
        {
            refusal = PinRefusal.NotRefcounted;
            return false;
        }

        referenced = true;
        _guestPins.Add(new GuestPin(pfn, owner, Referenced: true));
        return true;
    }

    // Why GUP failed on a VMA it does not refuse outright: a write without permission, a special PTE, or no page.
    private PinRefusal ClassifyGupFailure(HostVirtualAddress hva, Vma vma, bool writable)
    {
        if (writable && !vma.IsWritable)
        {
            return PinRefusal.ReadOnly;
        }

        if (vma.IsAnonymous || !_mm.TryFollowPte(hva, out var raw))
        {
            return PinRefusal.NotPresent;
        }

        return _memory.HasDescriptor(raw) ? PinRefusal.NotRefcounted : PinRefusal.NoPageDescriptor;
    }

    // allow_unsafe_mappings: remapped memory mapped out of band with no reference; userspace is trusted to keep it.
    private bool TryMapUnsafe(Gfn gfn, string owner, bool writable, [MaybeNullWhen(false)] out OutOfBandMap map, out PinRefusal refusal)
    {
        map = null;
        TryFindMemslot(gfn, out var slot);
        if (!_mm.TryFollowPte(slot!.HostAddressOf(gfn), out var borrowed, out var pteWritable))
        {
            refusal = PinRefusal.NotPresent;
            return false;
        }

        if (writable && !pteWritable)
        {
            refusal = PinRefusal.ReadOnly;
            return false;
        }

        if (Sanitizer is { Enabled: true } sanitizer)
        {
            sanitizer.Report(
                FindingKind.TrustedUnsafeMapping,
                borrowed,
                owner,
                nameof(TryMapOutOfBand),
                $"{gfn} is remapped memory mapped out of band with no reference (allow_unsafe_mappings): safe only while userspace keeps it mapped");
        }

        _memory.AddMapping(borrowed, OutOfBandMapper);
        refusal = PinRefusal.None;
#pragma warning disable MMU0001 // The trusted-unsafe map is exactly an out-of-band use of a borrowed PFN, by configuration.
        map = new OutOfBandMap(this, gfn, borrowed, owner, referenced: false, writable);
#pragma warning restore MMU0001
        return true;
    }

    private bool ForgetGuestPin(Pfn pfn, string owner, out bool referenced)
    {
        for (var i = _guestPins.Count - 1; i >= 0; i--)
        {
            if (_guestPins[i].Pfn == pfn && _guestPins[i].Owner == owner)
            {
                referenced = _guestPins[i].Referenced;
                _guestPins.RemoveAt(i);
                return true;
            }
        }

        referenced = false;
        return false;
    }
}
