using System;
using MmuGuard.Mapping;
using MmuGuard.Physical;

namespace MmuGuard.Guest;

/// <summary>
/// A notifier-covered out-of-band mapping of one guest frame (KVM's <c>gfn_to_pfn_cache</c>): it holds no pin, so it
/// may map a page that is not refcounted; the VM's notifier hook invalidates it, and every user checks it, refreshing
/// when invalid, under the cache's own lock.
/// </summary>
public sealed class PfnCache : INotifierCoveredMappingOwner
{
    // Refreshing inside an invalidation can never succeed in a single-threaded sim; bound the retry loop.
    private const int MaxRefreshAttempts = 8;
    private const int Slot = 0;

    private readonly object _lock = new();
    private readonly Vm _vm;

    [NotifierCovered]
    private Pfn _pfn;

    private bool _valid;

    /// <summary>Creates the cache for <paramref name="gfn"/> and registers it for invalidation (<c>kvm_gpc_activate</c>); it starts invalid.</summary>
    public PfnCache(Vm vm, Gfn gfn, string name)
    {
        _vm = vm ?? throw new ArgumentNullException(nameof(vm));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Gfn = gfn;
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
    public bool Check()
    {
        lock (_lock)
        {
            return _valid;
        }
    }

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

        for (var attempt = 0; attempt < MaxRefreshAttempts; attempt++)
        {
            var snapshot = _vm.SnapshotSequence();
            if (!_vm.TryResolve(Gfn, out var pfn, out var refusal))
            {
                LastRefusal = refusal;
                return false;
            }

            lock (_lock)
            {
                if (_vm.MustRetry(snapshot))
                {
                    continue;
                }

                DropMapping();
                _pfn = pfn;
                _valid = true;
                _vm.Memory.AddMapping(pfn, _vm.PfnCacheMapper);
                LastRefusal = PinRefusal.None;
                return true;
            }
        }

        throw new InvalidOperationException($"PFN cache {Name} cannot refresh while an invalidation of its VM is in progress.");
    }

    /// <summary>The cached frame while the cache is valid; no pin comes with it, so use it only under coverage.</summary>
    public bool TryGetPfn([Borrowed, MayBeNonRefcounted] out Pfn pfn)
    {
        lock (_lock)
        {
            pfn = _pfn;
            return _valid;
        }
    }

    /// <summary>Invalidates the cache and stops tracking it (<c>kvm_gpc_deactivate</c>).</summary>
    public void Deactivate()
    {
        if (!IsActive)
        {
            return;
        }

        IsActive = false;
        if (!_vm.IsDestroyed)
        {
            _vm.Untrack(this, Slot);
        }

        lock (_lock)
        {
            DropMapping();
        }
    }

    void INotifierCoveredMappingOwner.InvalidateCoveredMapping(int slot)
    {
        lock (_lock)
        {
            DropMapping();
        }
    }

    private void DropMapping()
    {
        if (_valid)
        {
            _vm.Memory.RemoveMapping(_pfn, _vm.PfnCacheMapper);
            _valid = false;
        }
    }
}
