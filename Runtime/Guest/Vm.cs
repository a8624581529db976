using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using MmuGuard.Host;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Guest;

/// <summary>
/// A guest VM (<c>struct kvm</c>) as KVM has it since the 2024 "stop grabbing references to PFNMAP'd pages" series:
/// memslots, a stage-2 table kept coherent by its MMU-notifier subscription, pinned out-of-band maps that refuse
/// pages they cannot pin, and notifier-covered mappings (PFN caches) it calls back on invalidation.
/// </summary>
/// <remarks>
/// The simulation is single-threaded per VM. <c>mmu_lock</c> is a real lock, but it models ordering (what happens
/// under it and what does not), not contention; <see cref="BeforeInstall"/> lets a test run an invalidation at the
/// one point where, in the kernel, another thread could.
/// </remarks>
public sealed class Vm : IPinnedPageSource, ICoveredPageSource, IMmuNotifier
{
    private const string TeardownOperation = "Vm.Destroy";

    private readonly object _mmuLock = new();
    private readonly AddressSpace _mm;
    private readonly PhysicalMemory _memory;
    private readonly InvalidationSequence _sequence = new();
    private readonly List<Memslot> _memslots = new();
    private readonly List<CoveredMappingRegistration> _tracked = new();
    private readonly List<CoveredMappingRegistration> _toInvalidate = new();
    private readonly List<GuestPin> _guestPins = new();
    private readonly List<Vcpu> _vcpus = new();
    private readonly string _pinOwner;
    private Memslot? _lastMemslot;
    private int _nextMemslotId;

    /// <summary>Creates a VM over <paramref name="mm"/> and subscribes it to the address space's notifiers.</summary>
    public Vm(AddressSpace mm, string name = "vm")
    {
        _mm = mm ?? throw new ArgumentNullException(nameof(mm));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _memory = mm.Memory;
        _pinOwner = name + " guest page pin";
        Stage2 = new Stage2Table(_memory, _memory.RegisterMapper(name + " stage-2"));
        OutOfBandMapper = _memory.RegisterMapper(name + " out-of-band map");
        PfnCacheMapper = _memory.RegisterMapper(name + " pfn cache");
        mm.Notifiers.Register(this);
    }

    /// <summary>What the VM is, as reports name it.</summary>
    public string Name { get; }

    /// <summary>The host address space backing the memslots.</summary>
    public AddressSpace AddressSpace => _mm;

    /// <summary>The host physical memory.</summary>
    public PhysicalMemory Memory => _memory;

    /// <summary>The sanitizer of the VM's physical memory.</summary>
    public MmuSanitizer? Sanitizer => _memory.Sanitizer;

    /// <summary>The stage-2 table.</summary>
    public Stage2Table Stage2 { get; }

    /// <summary>The invalidation sequence and in-progress count of the VM's notifier subscription.</summary>
    public InvalidationSequence Invalidations => _sequence;

    /// <summary>The memslots.</summary>
    public IReadOnlyList<Memslot> Memslots => _memslots;

    /// <summary>The vCPUs created so far.</summary>
    public IReadOnlyList<Vcpu> Vcpus => _vcpus;

    /// <summary>How many guest-page pins (out-of-band maps included) the VM has handed out and not had back.</summary>
    public int LivePinCount => _guestPins.Count;

    /// <summary>How many notifier-covered mappings are tracked.</summary>
    public int TrackedMappingCount => _tracked.Count;

    /// <summary>Whether <see cref="Destroy"/> ran.</summary>
    public bool IsDestroyed { get; private set; }

    /// <summary>
    /// Test hook: runs after a fault resolved its PFN and before it takes <c>mmu_lock</c> to install it, where an
    /// invalidation on another CPU could run in the kernel.
    /// </summary>
    public Action<Gfn>? BeforeInstall { get; set; }

    internal MapperId OutOfBandMapper { get; }

    internal MapperId PfnCacheMapper { get; }

    /// <summary>Adds a memslot mapping <paramref name="pageCount"/> guest frames from <paramref name="baseGfn"/> to host addresses from <paramref name="userspaceAddress"/>.</summary>
    /// <exception cref="ArgumentException">The slot is empty, its host address is not page-aligned, or it overlaps another slot.</exception>
    public Memslot AddMemslot(Gfn baseGfn, ulong pageCount, HostVirtualAddress userspaceAddress)
    {
        ThrowIfDestroyed();
        if (pageCount == 0)
        {
            throw new ArgumentException($"A memslot at {baseGfn} needs at least one frame.", nameof(pageCount));
        }

        if (!userspaceAddress.IsPageAligned)
        {
            throw new ArgumentException($"A memslot's host address must be page-aligned; {userspaceAddress} is not.", nameof(userspaceAddress));
        }

        foreach (var existing in _memslots)
        {
            if (existing.Overlaps(baseGfn, pageCount))
            {
                throw new ArgumentException($"A memslot at {baseGfn} + {pageCount} overlaps {existing}.", nameof(baseGfn));
            }
        }

        var slot = new Memslot(_nextMemslotId++, baseGfn, pageCount, userspaceAddress);
        _memslots.Add(slot);
        return slot;
    }

    /// <summary>Removes <paramref name="slot"/>, zapping its stage-2 entries and invalidating covered mappings in it first.</summary>
    public void RemoveMemslot(Memslot slot)
    {
        ThrowIfDestroyed();
        if (!_memslots.Contains(slot))
        {
            throw new ArgumentException($"{slot} does not belong to {Name}.", nameof(slot));
        }

        _sequence.Begin();
        InvalidateGuestRange(slot.BaseGfn, slot.PageCount);
        _memslots.Remove(slot);
        _lastMemslot = null;
        _sequence.End();
    }

    /// <summary>The memslot containing <paramref name="gfn"/>, if any.</summary>
    public bool TryFindMemslot(Gfn gfn, [NotNullWhen(true)] out Memslot? slot)
    {
        var last = _lastMemslot;
        if (last is not null && last.Contains(gfn))
        {
            slot = last;
            return true;
        }

        foreach (var candidate in _memslots)
        {
            if (candidate.Contains(gfn))
            {
                _lastMemslot = candidate;
                slot = candidate;
                return true;
            }
        }

        slot = null;
        return false;
    }

    /// <summary>Creates a vCPU.</summary>
    public Vcpu CreateVcpu()
    {
        ThrowIfDestroyed();
        var vcpu = new Vcpu(this, _vcpus.Count);
        _vcpus.Add(vcpu);
        return vcpu;
    }

    /// <summary>
    /// Handles one stage-2 fault on <paramref name="gfn"/> in KVM's order: snapshot the invalidation sequence,
    /// resolve the PFN (GUP with a reference for ordinary memory, follow-pte with none for PfnMap/Io), take
    /// <c>mmu_lock</c>, retry if an invalidation ran, install, unlock, release the GUP reference.
    /// </summary>
    public FaultResult HandleFault(Gfn gfn)
    {
        ThrowIfDestroyed();
        if (Stage2.TryLookup(gfn, out _))
        {
            return FaultResult.AlreadyMapped;
        }

        var snapshot = _sequence.Snapshot();
        var vma = Locate(gfn, out var hva, out var refusal);
        if (vma is null)
        {
            return refusal == PinRefusal.NoMemslot ? FaultResult.NoMemslot : FaultResult.NotPresent;
        }

        if (vma.RefusesGetUserPages)
        {
            if (!_mm.TryFollowPte(hva, out var borrowed))
            {
                return FaultResult.NotPresent;
            }

            BeforeInstall?.Invoke(gfn);
            lock (_mmuLock)
            {
                if (_sequence.MustRetry(snapshot))
                {
                    return FaultResult.Retry;
                }

                Stage2.Install(gfn, borrowed);
            }

            return FaultResult.Installed;
        }

        if (!_mm.TryGetUserPages(hva, out var pinned))
        {
            return FaultResult.NotPresent;
        }

        BeforeInstall?.Invoke(gfn);
        var result = FaultResult.Retry;
        lock (_mmuLock)
        {
            if (!_sequence.MustRetry(snapshot))
            {
                Stage2.Install(gfn, pinned);
                result = FaultResult.Installed;
            }
        }

        _memory.MarkAccessed(pinned);
        _memory.Unpin(pinned);
        return result;
    }

    /// <summary>Zaps every stage-2 entry (<c>kvm_mmu_zap_all</c>); returns how many went.</summary>
    public int ZapAll()
    {
        lock (_mmuLock)
        {
            return Stage2.ZapAll();
        }
    }

    /// <summary>
    /// Maps <paramref name="gfn"/> out of band for <paramref name="owner"/> (<c>kvm_vcpu_map</c>): pins the page for
    /// as long as the map lives, or refuses a page that cannot be pinned with the reason in <paramref name="refusal"/>.
    /// </summary>
    public bool TryMapOutOfBand(Gfn gfn, string owner, [TryAcquiresPin][MaybeNullWhen(false)] out OutOfBandMap map, out PinRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (!TryPinFor(gfn, owner, out var pfn, out refusal))
        {
            map = null;
            return false;
        }

        _memory.AddMapping(pfn, OutOfBandMapper);
        map = new OutOfBandMap(this, gfn, pfn, owner);
        return true;
    }

    /// <inheritdoc />
    public bool TryPinGuestPage(Gfn gfn, [TryAcquiresPin] out Pfn pfn, out PinRefusal refusal) => TryPinFor(gfn, _pinOwner, out pfn, out refusal);

    /// <inheritdoc />
    public void ReleaseGuestPage([ReleasesPin] Pfn pfn) => ReleasePinOf(pfn, _pinOwner);

    /// <inheritdoc />
    [SnapshotsInvalidationSequence]
    public ulong SnapshotSequence() => _sequence.Snapshot();

    /// <inheritdoc />
    [ChecksInvalidationRetry]
    public bool MustRetry(ulong snapshot) => _sequence.MustRetry(snapshot);

    /// <inheritdoc />
    public bool TryResolve(Gfn gfn, [Borrowed, MayBeNonRefcounted] out Pfn pfn, out PinRefusal refusal)
    {
        ThrowIfDestroyed();
        var vma = Locate(gfn, out var hva, out refusal);
        if (vma is not null && vma.IsAnonymous)
        {
            pfn = _mm.FaultIn(hva);
            return true;
        }

        if (vma is not null && _mm.TryFollowPte(hva, out pfn))
        {
            return true;
        }

        refusal = vma is null ? refusal : PinRefusal.NotPresent;
        pfn = default;
        return false;
    }

    /// <inheritdoc />
    public void Track(INotifierCoveredMappingOwner owner, int slot, Gfn gfn)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ThrowIfDestroyed();
        var index = IndexOfTracked(owner, slot);
        var registration = new CoveredMappingRegistration(owner, slot, gfn);
        if (index >= 0)
        {
            _tracked[index] = registration;
        }
        else
        {
            _tracked.Add(registration);
        }
    }

    /// <inheritdoc />
    public void Untrack(INotifierCoveredMappingOwner owner, int slot)
    {
        var index = IndexOfTracked(owner, slot);
        if (index >= 0)
        {
            _tracked.RemoveAt(index);
        }
    }

    /// <summary>
    /// Tears the VM down: reports every pin still held (out-of-band maps, guest-page pins) as
    /// <see cref="FindingKind.PinLeakedAtTeardown"/> and every stage-2 entry left as
    /// <see cref="FindingKind.Stage2EntryLeftAtTeardown"/>, drops the stage-2 table, invalidates covered mappings and
    /// unsubscribes. A clean teardown unmaps and zaps first, and reports nothing.
    /// </summary>
    public void Destroy()
    {
        ThrowIfDestroyed();
        if (Sanitizer is { Enabled: true } sanitizer)
        {
            foreach (var pin in _guestPins)
            {
                sanitizer.Report(FindingKind.PinLeakedAtTeardown, pin.Pfn, pin.Owner, TeardownOperation, "the pin was never released; the page can never be freed");
            }

            foreach (var entry in Stage2.Entries())
            {
                sanitizer.Report(FindingKind.Stage2EntryLeftAtTeardown, entry.Pfn, Name + " stage-2", TeardownOperation, $"{entry.Gfn} was still mapped; zap stage-2 before teardown");
            }
        }

        ZapAll();
        _toInvalidate.Clear();
        _toInvalidate.AddRange(_tracked);
        _tracked.Clear();
        foreach (var registration in _toInvalidate)
        {
            registration.Owner.InvalidateCoveredMapping(registration.Slot);
        }

        _mm.Notifiers.Unregister(this);
        IsDestroyed = true;
    }

    void IMmuNotifier.InvalidateRangeStart(HostRange range)
    {
        _sequence.Begin();
        foreach (var slot in _memslots)
        {
            if (slot.TryGetGfnRange(range, out var first, out var count))
            {
                InvalidateGuestRange(first, count);
            }
        }
    }

    void IMmuNotifier.InvalidateRangeEnd(HostRange range) => _sequence.End();

    internal void ReleaseOutOfBand([ReleasesPin] Pfn pfn, string owner)
    {
        _memory.RemoveMapping(pfn, OutOfBandMapper);
        ReleasePinOf(pfn, owner);
    }

    // A pin is released by whoever took it: releasing another holder's pin is as unbalanced as releasing none.
    private void ReleasePinOf([ReleasesPin] Pfn pfn, string owner)
    {
        if (!ForgetGuestPin(pfn, owner))
        {
            if (Sanitizer is { Enabled: true } sanitizer)
            {
                sanitizer.Report(FindingKind.UnbalancedRelease, pfn, owner, nameof(ReleaseGuestPage), "no pin on this frame is held for this owner: a double or unbalanced release");
            }

            return;
        }

        _memory.Unpin(pfn);
    }

    private void InvalidateGuestRange(Gfn first, ulong count)
    {
        lock (_mmuLock)
        {
            Stage2.ZapRange(first, count);
        }

        _toInvalidate.Clear();
        foreach (var registration in _tracked)
        {
            if (registration.Gfn.Value - first.Value < count)
            {
                _toInvalidate.Add(registration);
            }
        }

        foreach (var registration in _toInvalidate)
        {
            registration.Owner.InvalidateCoveredMapping(registration.Slot);
        }
    }

    private bool TryPinFor(Gfn gfn, string owner, [TryAcquiresPin] out Pfn pfn, out PinRefusal refusal)
    {
        ThrowIfDestroyed();
        var vma = Locate(gfn, out var hva, out refusal);
        if (vma is not null && vma.IsAnonymous && _mm.TryGetUserPages(hva, out pfn))
        {
            _guestPins.Add(new GuestPin(pfn, owner));
            return true;
        }

        if (vma is not null && !vma.IsAnonymous && _mm.TryFollowPte(hva, out var borrowed))
        {
            if (_memory.TryPin(borrowed))
            {
                pfn = borrowed;
                _guestPins.Add(new GuestPin(pfn, owner));
                return true;
            }

            refusal = _memory.HasDescriptor(borrowed) ? PinRefusal.NotRefcounted : PinRefusal.NoPageDescriptor;
        }
        else if (vma is not null)
        {
            refusal = PinRefusal.NotPresent;
        }

        pfn = default;
        return false;
    }

    private bool ForgetGuestPin(Pfn pfn, string owner)
    {
        for (var i = _guestPins.Count - 1; i >= 0; i--)
        {
            if (_guestPins[i].Pfn == pfn && _guestPins[i].Owner == owner)
            {
                _guestPins.RemoveAt(i);
                return true;
            }
        }

        return false;
    }

    private Vma? Locate(Gfn gfn, out HostVirtualAddress hva, out PinRefusal refusal)
    {
        if (!TryFindMemslot(gfn, out var slot))
        {
            hva = default;
            refusal = PinRefusal.NoMemslot;
            return null;
        }

        hva = slot.HostAddressOf(gfn);
        var vma = _mm.FindVma(hva);
        refusal = vma is null ? PinRefusal.NotPresent : PinRefusal.None;
        return vma;
    }

    private int IndexOfTracked(INotifierCoveredMappingOwner owner, int slot)
    {
        for (var i = 0; i < _tracked.Count; i++)
        {
            if (ReferenceEquals(_tracked[i].Owner, owner) && _tracked[i].Slot == slot)
            {
                return i;
            }
        }

        return -1;
    }

    private void ThrowIfDestroyed()
    {
        if (IsDestroyed)
        {
            throw new InvalidOperationException($"{Name} has been destroyed.");
        }
    }
}
