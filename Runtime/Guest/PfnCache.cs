using System;
using System.Collections.Generic;
using MmuGuard.Concurrency;
using MmuGuard.Mapping;
using MmuGuard.Physical;

namespace MmuGuard.Guest;

/// <summary>
/// A notifier-covered out-of-band mapping of one guest frame (KVM's <c>gfn_to_pfn_cache</c>): it holds no pin, so it
/// may map a page that is not refcounted; the VM's notifier hook invalidates it, and every user checks it, refreshing
/// when invalid, under the cache's own lock.
/// </summary>
/// <remarks>
/// The refresh discipline (snapshot, resolve, check and publish under the lock, bounded retries) is
/// <see cref="CoveredMappingSet"/>'s, the same code generated covered mappings forward to; the cache adds its
/// registration as a mapper of the frame, so the sanitizer sees a valid cache as a user of the page.
/// </remarks>
public sealed class PfnCache : INotifierCoveredMappingOwner
{
    private const int Slot = 0;

    private readonly Vm _vm;
    private readonly CoveredMappingSet _mapping;
    private readonly List<HardwareField> _loadedFields = new();

    [NotifierCovered]
    private Pfn _pfn;

    // The frame registered with the VM's PFN-cache mapper, so the registration is dropped exactly once.
    private Pfn? _registered;

    /// <summary>Creates the cache for <paramref name="gfn"/> and registers it for invalidation (<c>kvm_gpc_activate</c>); it starts invalid.</summary>
    public PfnCache(Vm vm, Gfn gfn, string name)
    {
        _vm = vm ?? throw new ArgumentNullException(nameof(vm));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Gfn = gfn;
        _mapping = new CoveredMappingSet(name, 1);
        vm.Track(this, Slot, gfn);
        IsActive = true;
    }

    /// <summary>The cached guest frame.</summary>
    public Gfn Gfn { get; }

    /// <summary>What the cache is, as reports name it.</summary>
    public string Name { get; }

    /// <summary>Whether the cache is registered for invalidation.</summary>
    public bool IsActive { get; private set; }

    /// <summary>Why the last <see cref="Refresh"/> failed, or <see cref="PinRefusal.None"/>.</summary>
    public PinRefusal LastRefusal { get; private set; }

    /// <summary>Whether the cached PFN may be used now (<c>kvm_gpc_check</c>).</summary>
    public bool Check() => _mapping.IsValid(Slot);

    /// <summary>
    /// Resolves the frame again under the sequence discipline (<c>kvm_gpc_refresh</c>); returns
    /// <see langword="false"/> with <see cref="LastRefusal"/> set when nothing backs it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cache is deactivated, or an invalidation is in progress.</exception>
    public bool Refresh()
    {
        if (!IsActive)
        {
            throw new InvalidOperationException($"PFN cache {Name} is deactivated; create a new one.");
        }

        DropRegistration();
        var result = _mapping.Refresh(this, Slot, ref _pfn, _vm, Gfn);
        LastRefusal = result.Refusal;
        if (!result.IsMapped)
        {
            return false;
        }

        _vm.Memory.AddMapping(result.Pfn, _vm.PfnCacheMapper);
        _registered = result.Pfn;
        return true;
    }

    /// <summary>
    /// Holds the cache's lock (<c>read_lock(&amp;gpc-&gt;lock)</c>): between <see cref="TryGetPfn"/> and the last use of
    /// the frame it must stay held, or an invalidation can change the page in between.
    /// </summary>
    public LockHold Hold() => _mapping.Hold();

    /// <summary>
    /// Writes the cached frame into <paramref name="field"/> with <paramref name="reload"/> as its reload request:
    /// an invalidation of the cache then makes that request on the field's vCPU and kicks it out of guest mode before
    /// the host changes the page, and the vCPU maps the frame again before it re-enters (the nVMX "cache for L1 APIC
    /// pages" design). Returns <see langword="false"/>, leaving the field alone, when the cache is invalid.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="reload"/> is <see cref="VcpuRequests.None"/>.</exception>
    public bool LoadInto(HardwareField field, VcpuRequests reload)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (reload == VcpuRequests.None)
        {
            throw new ArgumentException("A hardware field loaded from a PFN cache needs a reload request; without one an invalidation leaves the CPU a stale address.", nameof(reload));
        }

        using (_mapping.Hold())
        {
            if (!_mapping.IsValid(Slot))
            {
                return false;
            }

            field.Set(Gfn, _pfn, reload, this);
            if (!_loadedFields.Contains(field))
            {
                _loadedFields.Add(field);
            }

            return true;
        }
    }

    /// <summary>
    /// Uses the cached frame as the vCPU's own access would (<c>kvm_gpc_check</c> and the access, under the lock):
    /// returns <see langword="false"/> when the cache is invalid. The sanitizer reports a frame its guest page no
    /// longer maps (<see cref="Sanitizer.FindingKind.StaleCacheUse"/>).
    /// </summary>
    public bool TryAccess()
    {
        using (_mapping.Hold())
        {
            if (!TryGetPfn(out var pfn))
            {
                return false;
            }

            _vm.Preempt(PreemptionPoint.GpcAfterCheck);
            Access(pfn);
            return true;
        }
    }

    /// <summary>
    /// Touches <paramref name="pfn"/>, a frame obtained from this cache, as guest memory: the sanitizer reports it as
    /// <see cref="Sanitizer.FindingKind.StaleCacheUse"/> when the guest frame no longer maps it, which happens when the
    /// caller let the cache's lock go between the check and this use.
    /// </summary>
    public void Access([Borrowed, MayBeNonRefcounted] Pfn pfn)
    {
        if (!_vm.MapsCurrently(Gfn, pfn) && _vm.Sanitizer is { Enabled: true } sanitizer)
        {
            sanitizer.Report(Sanitizer.FindingKind.StaleCacheUse, pfn, Name, nameof(Access), $"{pfn} was used for {Gfn} after an invalidation changed the page: the cache's lock was not held from the check to the use");
        }
    }

    /// <summary>The cached frame while the cache is valid; no pin comes with it, so use it only under coverage.</summary>
    public bool TryGetPfn([Borrowed, MayBeNonRefcounted] out Pfn pfn)
    {
        pfn = _pfn;
        return _mapping.IsValid(Slot);
    }

    /// <summary>Invalidates the cache and stops tracking it (<c>kvm_gpc_deactivate</c>).</summary>
    public void Deactivate()
    {
        if (!IsActive)
        {
            return;
        }

        IsActive = false;
        if (_vm.IsDestroyed)
        {
            _mapping.Invalidate(Slot);
        }
        else
        {
            _mapping.DeactivateAll(this);
            _vm.Untrack(this, Slot);
        }

        DropRegistration();
    }

    // gfn_to_pfn_cache_invalidate_start: the cache goes invalid under its lock, then every vCPU whose hardware holds
    // the frame gets the field's reload request and is kicked out of guest mode before the host may change the page.
    void INotifierCoveredMappingOwner.InvalidateCoveredMapping(int slot)
    {
        _mapping.InvalidateFromNotifier(slot);
        DropRegistration();
        if (_loadedFields.Count == 0)
        {
            return;
        }

        foreach (var field in _loadedFields.ToArray())
        {
            field.Vcpu.RequestAndKick(field.ReloadRequest);
        }
    }

    internal void Forget(HardwareField field) => _loadedFields.Remove(field);

    private void DropRegistration()
    {
        if (_registered is { } pfn)
        {
            _registered = null;
            _vm.Memory.RemoveMapping(pfn, _vm.PfnCacheMapper);
        }
    }
}
