using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using MmuGuard.Host;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Guest;

/// <summary>
/// A guest VM (<c>struct kvm</c>): memslots, a stage-2 table kept coherent by its MMU-notifier subscription, pinned
/// out-of-band maps, notifier-covered mappings (PFN caches) it calls back on invalidation, and dirty logging. How it
/// treats remapped memory is its <see cref="Policy"/>: by default the design merged in Linux 6.13.
/// </summary>
/// <remarks>
/// The simulation is single-threaded per VM: every public member checks that it runs on the thread that created the
/// VM and throws <see cref="InvalidOperationException"/> naming both threads otherwise. <c>mmu_lock</c> is a real
/// lock, but it models ordering (what happens under it and what does not), not contention;
/// <see cref="BeforeInstall"/> lets a test run an invalidation at the one point where, in the kernel, another thread
/// could.
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
    private readonly List<bool> _countedInvalidations = new();
    private readonly List<Gfn> _dirtyScratch = new();
    private readonly string _pinOwner;
    private readonly int _ownerThreadId;
    private readonly string _ownerThreadName;
    private Memslot? _lastMemslot;
    private int _nextMemslotId;

    /// <summary>
    /// Creates a VM over <paramref name="mm"/> that behaves as <paramref name="policy"/> and subscribes it to the
    /// address space's notifiers. <paramref name="allowUnsafeMappings"/> is KVM's <c>allow_unsafe_mappings</c> module
    /// parameter (read-only after load, so fixed for the VM's life); it matters only under <see cref="KvmPolicy.Kvm613"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="allowUnsafeMappings"/> with a policy that predates it.</exception>
    public Vm(AddressSpace mm, string name = "vm", KvmPolicy policy = KvmPolicy.Kvm613, bool allowUnsafeMappings = false)
    {
        _mm = mm ?? throw new ArgumentNullException(nameof(mm));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        if (allowUnsafeMappings && policy != KvmPolicy.Kvm613)
        {
            throw new ArgumentException($"allow_unsafe_mappings exists only since Linux 6.13; policy {policy} has no such parameter.", nameof(allowUnsafeMappings));
        }

        Policy = policy;
        AllowUnsafeMappings = allowUnsafeMappings;
        _ownerThreadId = Environment.CurrentManagedThreadId;
        _ownerThreadName = Thread.CurrentThread.Name ?? "unnamed";
        _memory = mm.Memory;
        _pinOwner = name + " guest page pin";
        Stage2 = new Stage2Table(_memory, _memory.RegisterMapper(name + " stage-2"));
        OutOfBandMapper = _memory.RegisterMapper(name + " out-of-band map");
        PfnCacheMapper = _memory.RegisterMapper(name + " pfn cache");
        mm.Notifiers.Register(this);
    }

    /// <summary>What the VM is, as reports name it.</summary>
    public string Name { get; }

    /// <summary>Which KVM the VM behaves as when it resolves remapped memory.</summary>
    public KvmPolicy Policy { get; }

    /// <summary>
    /// KVM's <c>allow_unsafe_mappings</c>: remapped memory may be mapped out of band with no reference, trusting
    /// userspace to keep it alive; the sanitizer reports each such map as <see cref="FindingKind.TrustedUnsafeMapping"/>.
    /// </summary>
    public bool AllowUnsafeMappings { get; }

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

    /// <summary>Adds a writable memslot mapping <paramref name="pageCount"/> guest frames from <paramref name="baseGfn"/> to host addresses from <paramref name="userspaceAddress"/>.</summary>
    /// <exception cref="ArgumentException">The slot is empty, its host address is not page-aligned, or it overlaps another slot.</exception>
    public Memslot AddMemslot(Gfn baseGfn, ulong pageCount, HostVirtualAddress userspaceAddress) =>
        AddMemslot(baseGfn, pageCount, userspaceAddress, MemslotFlags.None);

    /// <summary>Adds a memslot as <see cref="AddMemslot(Gfn, ulong, HostVirtualAddress)"/> does, with <paramref name="flags"/> (read-only, dirty logging).</summary>
    /// <exception cref="ArgumentException">The slot is empty, its host address is not page-aligned, or it overlaps another slot.</exception>
    public Memslot AddMemslot(Gfn baseGfn, ulong pageCount, HostVirtualAddress userspaceAddress, MemslotFlags flags)
    {
        ThrowIfUnusable();
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

        var slot = new Memslot(_nextMemslotId++, baseGfn, pageCount, userspaceAddress, flags);
        _memslots.Add(slot);
        return slot;
    }

    /// <summary>Removes <paramref name="slot"/>, zapping its stage-2 entries and invalidating covered mappings in it first.</summary>
    public void RemoveMemslot(Memslot slot)
    {
        ThrowIfUnusable();
        RequireOwnSlot(slot);
        _sequence.Begin();
        _sequence.AddRange(slot.BaseGfn.Value, slot.PageCount);
        InvalidateGuestRange(slot.BaseGfn, slot.PageCount);
        _memslots.Remove(slot);
        _lastMemslot = null;
        _sequence.End();
    }

    /// <summary>
    /// Turns dirty logging of <paramref name="slot"/> on or off (<c>KVM_MEM_LOG_DIRTY_PAGES</c>). Turning it on
    /// write-protects the slot's stage-2 entries, so the next guest write to each page faults and is logged.
    /// </summary>
    public void SetDirtyLogging(Memslot slot, bool enabled)
    {
        ThrowIfUnusable();
        RequireOwnSlot(slot);
        slot.SetDirtyLogging(enabled);
        if (enabled)
        {
            lock (_mmuLock)
            {
                Stage2.WriteProtect(slot.BaseGfn, slot.PageCount);
            }
        }
    }

    /// <summary>
    /// Returns the guest frames of <paramref name="slot"/> written since the last call and clears its dirty bitmap,
    /// write-protecting those frames in stage-2 again (<c>KVM_GET_DIRTY_LOG</c>); empty without dirty logging.
    /// </summary>
    public IReadOnlyList<Gfn> GetDirtyLog(Memslot slot)
    {
        ThrowIfUnusable();
        RequireOwnSlot(slot);
        _dirtyScratch.Clear();
        slot.TakeDirtyLog(_dirtyScratch);
        lock (_mmuLock)
        {
            foreach (var gfn in _dirtyScratch)
            {
                Stage2.WriteProtect(gfn, 1);
            }
        }

        return _dirtyScratch.ToArray();
    }

    /// <summary>
    /// Records a write to <paramref name="gfn"/> in its memslot's dirty bitmap (<c>kvm_vcpu_mark_page_dirty</c>), as
    /// KVM does for pages it or the hardware writes outside stage-2 faults; a no-op without dirty logging or memslot.
    /// </summary>
    public void MarkPageDirty(Gfn gfn)
    {
        ThrowIfUnusable();
        if (TryFindMemslot(gfn, out var slot))
        {
            slot.MarkDirty(gfn);
        }
    }

    /// <summary>The memslot containing <paramref name="gfn"/>, if any.</summary>
    public bool TryFindMemslot(Gfn gfn, [NotNullWhen(true)] out Memslot? slot)
    {
        CheckThread();
        return FindMemslot(gfn, out slot);
    }

    // The lookup for callers that already checked the thread: the fault path pays for the check once.
    private bool FindMemslot(Gfn gfn, [NotNullWhen(true)] out Memslot? slot)
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
        ThrowIfUnusable();
        var vcpu = new Vcpu(this, _vcpus.Count);
        _vcpus.Add(vcpu);
        return vcpu;
    }

    /// <summary>Handles one read fault on <paramref name="gfn"/>; see <see cref="HandleFault(Gfn, bool)"/>.</summary>
    public FaultResult HandleFault(Gfn gfn) => HandleFault(gfn, write: false);

    /// <summary>
    /// Handles one stage-2 fault on <paramref name="gfn"/> in KVM's order: snapshot the invalidation sequence,
    /// resolve the PFN (GUP, with <c>FOLL_WRITE</c> for a write, taking a reference; follow-pte for PfnMap/Io, with
    /// whatever reference the <see cref="Policy"/> takes), take <c>mmu_lock</c>, retry if an invalidation ran over the
    /// frame, install with the write permission the host PTE and the memslot allow, release the reference (under the
    /// lock since 6.13, <c>kvm_release_faultin_page</c>; after unlocking before). A write to a frame mapped read-only
    /// in stage-2 is a permission fault and resolves again.
    /// </summary>
    public FaultResult HandleFault(Gfn gfn, bool write)
    {
        ThrowIfUnusable();
        if (Stage2.TryLookup(gfn, out _, out var mappedWritable) && (mappedWritable || !write))
        {
            return FaultResult.AlreadyMapped;
        }

        var snapshot = _sequence.Snapshot();
        if (!FindMemslot(gfn, out var slot))
        {
            return FaultResult.NoMemslot;
        }

        if (write && slot.IsReadOnly)
        {
            return FaultResult.ReadOnlyFault; // KVM_HVA_ERR_RO_BAD -> KVM_PFN_ERR_RO_FAULT
        }

        var hva = slot.HostAddressOf(gfn);
        var vma = _mm.FindVma(hva);
        if (vma is null)
        {
            return FaultResult.NotPresent;
        }

        if (vma.RefusesGetUserPages)
        {
            if (!_mm.TryFollowPte(hva, out var borrowed, out var pteWritable))
            {
                return FaultResult.NotPresent;
            }

            return Policy switch
            {
                KvmPolicy.Pre2021 => FaultRemappedBefore613(gfn, slot, borrowed, !slot.IsReadOnly, snapshot),
                KvmPolicy.Fix2021 when write && !pteWritable => FaultResult.ReadOnlyFault,
                KvmPolicy.Fix2021 => FaultRemappedBefore613(gfn, slot, borrowed, pteWritable && !slot.IsReadOnly, snapshot),
                _ when write && !pteWritable => FaultResult.ReadOnlyFault,
                _ => InstallUnderMmuLock(gfn, slot, borrowed, pteWritable && !slot.IsReadOnly, snapshot),
            };
        }

        if (!_mm.TryGetUserPages(hva, write, out var pinned, out var hostWritable))
        {
            return write && !vma.IsWritable ? FaultResult.Refused : FaultResult.NotPresent;
        }

        var mapWritable = hostWritable && !slot.IsReadOnly;
        BeforeInstall?.Invoke(gfn);
        var result = FaultResult.Retry;
        if (Policy == KvmPolicy.Kvm613)
        {
            lock (_mmuLock)
            {
                if (!_sequence.MustRetry(snapshot, gfn.Value))
                {
                    InstallChecked(gfn, slot, pinned, mapWritable);
                    result = FaultResult.Installed;
                }

                // kvm_release_faultin_page: under mmu_lock; an unused page is put without being marked.
                if (result == FaultResult.Installed)
                {
                    _memory.MarkReleased(pinned, mapWritable);
                }

                _memory.Unpin(pinned);
            }

            return result;
        }

        lock (_mmuLock)
        {
            if (!_sequence.MustRetry(snapshot))
            {
                InstallChecked(gfn, slot, pinned, mapWritable);
                result = FaultResult.Installed;
            }
        }

        // Before 6.13 the page was released after mmu_lock was dropped (kvm_release_pfn_clean).
        _memory.MarkAccessed(pinned);
        _memory.Unpin(pinned);
        return result;
    }

    /// <summary>Zaps every stage-2 entry (<c>kvm_mmu_zap_all</c>); returns how many went.</summary>
    public int ZapAll()
    {
        CheckThread();
        lock (_mmuLock)
        {
            return Stage2.ZapAll();
        }
    }

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

    /// <inheritdoc />
    [SnapshotsInvalidationSequence]
    public ulong SnapshotSequence()
    {
        CheckThread();
        return _sequence.Snapshot();
    }

    /// <inheritdoc />
    [ChecksInvalidationRetry]
    public bool MustRetry(ulong snapshot)
    {
        CheckThread();
        return _sequence.MustRetry(snapshot);
    }

    /// <summary>Whether a PFN for <paramref name="gfn"/> resolved after <paramref name="snapshot"/> may be stale (<c>mmu_invalidate_retry_gfn</c>): only an invalidation over the frame, or one completed since, counts.</summary>
    [ChecksInvalidationRetry]
    public bool MustRetry(ulong snapshot, Gfn gfn)
    {
        CheckThread();
        return _sequence.MustRetry(snapshot, gfn.Value);
    }

    /// <inheritdoc />
    public bool TryResolve(Gfn gfn, [Borrowed, MayBeNonRefcounted] out Pfn pfn, out PinRefusal refusal)
    {
        ThrowIfUnusable();
        var vma = Locate(gfn, out var hva, out refusal);
        if (vma is not null && vma.IsAnonymous)
        {
            if (_mm.TryFaultIn(hva, out pfn))
            {
                return true;
            }

            refusal = PinRefusal.NotPresent;
            return false;
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
        ThrowIfUnusable();
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
        CheckThread();
        var index = IndexOfTracked(owner, slot);
        if (index >= 0)
        {
            _tracked.RemoveAt(index);
        }
    }

    /// <summary>
    /// Tears the VM down (<c>kvm_destroy_vm</c>): reports every pin still held (out-of-band maps, guest-page pins) as
    /// <see cref="FindingKind.PinLeakedAtTeardown"/>, zaps the stage-2 table as the kernel's teardown does,
    /// invalidates covered mappings and unsubscribes. Leaked pins stay held: a leak stays a leak.
    /// </summary>
    public void Destroy()
    {
        ThrowIfUnusable();
        if (Sanitizer is { Enabled: true } sanitizer)
        {
            foreach (var pin in _guestPins)
            {
                if (pin.Referenced)
                {
                    sanitizer.Report(FindingKind.PinLeakedAtTeardown, pin.Pfn, pin.Owner, TeardownOperation, "the pin was never released; the page can never be freed");
                }
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

    // kvm_mmu_notifier_invalidate_range_start: the invalidation counts (in progress, then a sequence bump at the end)
    // only when a memslot overlaps the range; its guest frames widen the in-progress range.
    void IMmuNotifier.InvalidateRangeStart(HostRange range)
    {
        CheckThread();
        var counted = false;
        foreach (var slot in _memslots)
        {
            if (slot.TryGetGfnRange(range, out var first, out var count))
            {
                if (!counted)
                {
                    _sequence.Begin();
                    counted = true;
                }

                _sequence.AddRange(first.Value, count);
                InvalidateGuestRange(first, count);
            }
        }

        _countedInvalidations.Add(counted);
    }

    void IMmuNotifier.InvalidateRangeEnd(HostRange range)
    {
        CheckThread();
        var last = _countedInvalidations.Count - 1;
        var counted = last >= 0 && _countedInvalidations[last];
        if (last >= 0)
        {
            _countedInvalidations.RemoveAt(last);
        }

        if (counted)
        {
            _sequence.End();
        }
    }

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

    // kvm_get_pfn before CVE-2021-22543 was fixed: get_page on whatever follow_pfn returned. A frame the allocator
    // already took back (freed by an earlier replay of the bug) is reported and refused instead of corrupting the
    // allocator, so a replay keeps running.
    private bool TryPinUnconditionally([TryAcquiresPin, MayBeNonRefcounted] Pfn pfn, string operation)
    {
        if (_memory.IsFree(pfn))
        {
            if (Sanitizer is { Enabled: true } sanitizer)
            {
                sanitizer.Report(FindingKind.PinOfNonRefcountedPage, pfn, Name, operation, "kvm_get_pfn on a frame that is free in the allocator: an earlier unpin already freed it under its driver");
            }

            return false;
        }

#pragma warning disable MMU0002 // KvmPolicy.Pre2021 replays the CVE on purpose; the sanitizer reports what follows.
        _memory.Pin(pfn);
#pragma warning restore MMU0002
        return true;
    }

    // The pre-6.13 hva_to_pfn_remapped for a fault: reserved and page-less frames pass with no reference; the rest
    // get the policy's reference (TryGetRemappedReference), held across the install and put after unlock.
    // `writable` is the policy's: Pre2021 maps writable whatever the PTE says (bd2fae8da794), Fix2021 asks the PTE.
    private FaultResult FaultRemappedBefore613(Gfn gfn, Memslot slot, [MayBeNonRefcounted] Pfn pfn, bool writable, ulong snapshot)
    {
        if (IsReservedPfn(pfn))
        {
            return InstallUnderMmuLock(gfn, slot, pfn, writable, snapshot);
        }

        if (!TryGetRemappedReference(pfn, nameof(HandleFault)))
        {
            return FaultResult.Refused;
        }

        var result = InstallUnderMmuLock(gfn, slot, pfn, writable, snapshot);
        _memory.Unpin(pfn);
        return result;
    }

    // kvm_is_reserved_pfn: a frame with no descriptor, or reserved memory; the pre-6.13 policies take no reference on it.
    private bool IsReservedPfn(Pfn pfn) => !_memory.HasDescriptor(pfn) || _memory.IsReserved(pfn);

    // The reference the pre-6.13 policies take on remapped memory: Pre2021's kvm_get_pfn takes one unconditionally
    // (the CVE); Fix2021's kvm_try_get_pfn (f8be156be163) is get_page_unless_zero on the raw page, so a compound tail
    // or a non-refcounted page is refused.
    private bool TryGetRemappedReference([TryAcquiresPin, MayBeNonRefcounted] Pfn pfn, string operation) =>
        Policy == KvmPolicy.Pre2021 ? TryPinUnconditionally(pfn, operation) : _memory.TryGetRaw(pfn);

    // The install half of a fault that holds no reference the lock must see released.
    private FaultResult InstallUnderMmuLock(Gfn gfn, Memslot slot, Pfn pfn, bool writable, ulong snapshot)
    {
        BeforeInstall?.Invoke(gfn);
        lock (_mmuLock)
        {
            var retry = Policy == KvmPolicy.Kvm613 ? _sequence.MustRetry(snapshot, gfn.Value) : _sequence.MustRetry(snapshot);
            if (retry)
            {
                return FaultResult.Retry;
            }

            InstallChecked(gfn, slot, pfn, writable);
            return FaultResult.Installed;
        }
    }

    // Installs under mmu_lock; a writable entry is logged dirty (make_spte), and the sanitizer checks that the host
    // really lets the guest write what stage-2 now lets it write.
    private void InstallChecked(Gfn gfn, Memslot slot, Pfn pfn, bool writable)
    {
        if (writable && Sanitizer is { Enabled: true } sanitizer && !HostAllowsWrite(slot, gfn, out var why))
        {
            sanitizer.Report(FindingKind.WritableMappingOfReadOnlyPage, pfn, Name + " stage-2", nameof(HandleFault), $"{gfn} installed writable although {why} (bd2fae8da794)");
        }

        Stage2.Install(gfn, pfn, writable);
        if (writable)
        {
            slot.MarkDirty(gfn);
        }
    }

    private bool HostAllowsWrite(Memslot slot, Gfn gfn, out string why)
    {
        if (slot.IsReadOnly)
        {
            why = "its memslot is read-only";
            return false;
        }

        var hva = slot.HostAddressOf(gfn);
        if (_mm.TryFollowPte(hva, out _, out var pteWritable) && !pteWritable)
        {
            why = "the host PTE at " + hva + " is read-only";
            return false;
        }

        why = string.Empty;
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

    private void RequireOwnSlot(Memslot slot)
    {
        if (!_memslots.Contains(slot))
        {
            throw new ArgumentException($"{slot} does not belong to {Name}.", nameof(slot));
        }
    }

    private void ThrowIfUnusable()
    {
        CheckThread();
        if (IsDestroyed)
        {
            throw new InvalidOperationException($"{Name} has been destroyed.");
        }
    }

    // The model is single-threaded per VM: a second thread would race the unlocked state (memslots, pins, sequence).
    private void CheckThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        if (caller != _ownerThreadId)
        {
            throw new InvalidOperationException(
                $"{Name} belongs to thread {_ownerThreadId} ('{_ownerThreadName}') but was called from thread {caller} "
                + $"('{Thread.CurrentThread.Name ?? "unnamed"}'): a Vm is single-threaded; create it on the thread that uses it.");
        }
    }
}
