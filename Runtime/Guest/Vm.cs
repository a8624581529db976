using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using MmuGuard.Concurrency;
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
/// The simulation does not guard itself for parallel use. Without a <see cref="Scheduler"/> it is single-threaded:
/// every public member checks that it runs on the thread that created the VM and throws
/// <see cref="InvalidOperationException"/> naming both threads otherwise. With a scheduler attached (a systematic
/// explorer such as Coyote) operations may run on several threads, and the scheduler runs one at a time, switching
/// only at the <see cref="PreemptionPoint"/>s the VM reports; <c>mmu_lock</c> is then a model lock whose contended
/// acquire yields to the holder.
/// </remarks>
public sealed partial class Vm : IPinnedPageSource, ICoveredPageSource, IMmuNotifier, IInterleaved
{
    private const string TeardownOperation = "Vm.Destroy";

    private readonly ModelLock _mmuLock;
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
        _mmuLock = new ModelLock(name + " mmu_lock", () => Scheduler);
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

    /// <summary>
    /// The explorer that decides which operation runs at each <see cref="PreemptionPoint"/>; <see langword="null"/>
    /// (the default) for single-threaded use. Attach it before the operations start.
    /// </summary>
    public IInterleavingScheduler? Scheduler { get; set; }

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
        Preempt(PreemptionPoint.DuringMemslotUpdate);
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
            using (_mmuLock.Hold())
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
        using (_mmuLock.Hold())
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

    /// <summary>Reports <paramref name="point"/> to the <see cref="Scheduler"/>, which may run another operation first.</summary>
    public void Preempt(PreemptionPoint point) => Scheduler?.Reached(point);

    /// <summary>
    /// Takes <c>mmu_lock</c> for a sim's own stage-2 code (a hand-written fault handler): install and retry checks
    /// belong under it. Dispose the hold to unlock.
    /// </summary>
    public LockHold HoldMmuLock()
    {
        CheckThread();
        return _mmuLock.Hold();
    }

    /// <summary>
    /// Whether <paramref name="gfn"/>'s host page is mapped to <paramref name="pfn"/> right now (its memslot's host
    /// address, through the host page table): what stage-2 entries and hardware fields must agree with.
    /// </summary>
    public bool MapsCurrently(Gfn gfn, Pfn pfn)
    {
        CheckThread();
        return FindMemslot(gfn, out var slot) && _mm.TryFollowPte(slot.HostAddressOf(gfn), out var current) && current == pfn;
    }

    /// <summary>Creates a vCPU.</summary>
    public Vcpu CreateVcpu()
    {
        ThrowIfUnusable();
        var vcpu = new Vcpu(this, _vcpus.Count);
        _vcpus.Add(vcpu);
        return vcpu;
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
        if (Scheduler is not null)
        {
            return; // the scheduler runs one operation at a time, on whichever thread it gave the operation
        }

        var caller = Environment.CurrentManagedThreadId;
        if (caller != _ownerThreadId)
        {
            throw new InvalidOperationException(
                $"{Name} belongs to thread {_ownerThreadId} ('{_ownerThreadName}') but was called from thread {caller} "
                + $"('{Thread.CurrentThread.Name ?? "unnamed"}'): a Vm is single-threaded; create it on the thread that uses it.");
        }
    }
}
