using System.Collections.Generic;
using MmuGuard.Concurrency;
using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Physical;
using MmuGuard.Samples.World;
using MmuGuard.Sanitizer;

namespace MmuGuard.Samples.Races;

/// <summary>
/// The NestedVirt world, fresh for each explored schedule: guest RAM at <see cref="RamGfn"/>, the GPU buffer's
/// non-refcounted page at <see cref="BarGfn"/>, one vCPU with the vmcs02 posted-interrupt descriptor as a hardware
/// field, and a PFN cache over the GPU page; plus the invariants every step must keep.
/// </summary>
public sealed class RaceWorld
{
    /// <summary>The guest RAM frame the fault scenarios touch.</summary>
    public static readonly Gfn RamGfn = new(0x1);

    /// <summary>The guest frame backed by the GPU buffer's exposed page.</summary>
    public static readonly Gfn BarGfn = new(0x100);

    private const ulong RamPages = 4;
    private readonly HashSet<Pfn> _ownedByWorld = new();

    internal RaceWorld(IInterleavingScheduler? scheduler)
    {
        Sanitizer = new MmuSanitizer(SanitizerMode.Record);
        Memory = new PhysicalMemory(64, Sanitizer);
        Mm = new AddressSpace(Memory, "qemu");
        Vm = new Vm(Mm, "L1") { Scheduler = scheduler };
        Ram = Mm.Mmap(RamPages, VmaFlags.Normal, "guest RAM");
        Vm.AddMemslot(new Gfn(0), RamPages, Ram.Start);
        RamPage = Mm.FaultIn(Ram.Start.AddPages(RamGfn.Value));
        Buffer = GpuBuffer.Allocate(Mm, "gpu-bo0", order: 2, exposedPage: 2);
        _ownedByWorld.Add(new Pfn(Buffer.ExposedPfn.Value - 2)); // the block head: the driver's own reference
        Vm.AddMemslot(BarGfn, 1, Buffer.UserAddress);
        Vcpu = Vm.CreateVcpu();
        PostedInterruptDescriptor = Vcpu.AddHardwareField("vmcs02.PostedInterruptDescriptor");
        Cache = new PfnCache(Vm, BarGfn, "L1 posted-interrupt descriptor cache");
    }

    /// <summary>The sanitizer of the world's memory (recording).</summary>
    public MmuSanitizer Sanitizer { get; }

    /// <summary>Host physical memory.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>QEMU's address space.</summary>
    public AddressSpace Mm { get; }

    /// <summary>Guest L1.</summary>
    public Vm Vm { get; }

    /// <summary>Guest RAM's VMA (anonymous memory).</summary>
    public Vma Ram { get; }

    /// <summary>The host page behind <see cref="RamGfn"/> when the world was built.</summary>
    public Pfn RamPage { get; }

    /// <summary>The TTM-like driver's buffer behind <see cref="BarGfn"/>.</summary>
    internal GpuBuffer Buffer { get; }

    /// <summary>L1's vCPU.</summary>
    public Vcpu Vcpu { get; }

    /// <summary>vmcs02's posted-interrupt descriptor address: a hardware field of <see cref="Vcpu"/>.</summary>
    public HardwareField PostedInterruptDescriptor { get; }

    /// <summary>The notifier-covered cache of <see cref="BarGfn"/>.</summary>
    public PfnCache Cache { get; }

    /// <summary>The host reclaims the guest RAM page: notifiers, PTE cleared, page freed unless someone pins it.</summary>
    public void ReclaimRamPage() => Mm.ZapRange(Ram.Start.AddPages(RamGfn.Value), 1);

    /// <summary>
    /// The first invariant a state breaks, or <see langword="null"/>: stage-2 coherence (every entry is the host's
    /// mapping unless an invalidation over it is in progress), no installed, cached or hardware-held frame free, no
    /// stale hardware address while the vCPU is in guest mode, no sanitizer bug.
    /// </summary>
    public string? FindViolation()
    {
        foreach (var entry in Vm.Stage2.Entries())
        {
            if (IsFree(entry.Pfn))
            {
                return $"stage-2 maps {entry.Gfn} to {entry.Pfn}, which is free in the allocator";
            }

            if (!Vm.MapsCurrently(entry.Gfn, entry.Pfn) && !Vm.Invalidations.MustRetry(Vm.Invalidations.Value, entry.Gfn.Value))
            {
                return $"stage-2 maps {entry.Gfn} to {entry.Pfn}, but the host no longer does and no invalidation over it is in progress";
            }
        }

        if (Cache.TryGetPfn(out var cached) && IsFree(cached))
        {
            return $"{Cache.Name} is valid with {cached}, which is free in the allocator";
        }

        if (Vcpu.FindStaleHardwareField() is { } stale)
        {
            return $"{stale} is consumed in guest mode, but the host no longer maps {stale.Gfn} there" + (IsFree(stale.Pfn) ? " and the frame is free" : string.Empty);
        }

        return Sanitizer.BugCount == 0 ? null : "sanitizer: " + FirstBug();
    }

    /// <summary>
    /// The first invariant a finished run breaks, or <see langword="null"/>: no invalidation left in progress, no
    /// guest pin left, and every reference taken on a page released (a page no one maps or owns holds none).
    /// </summary>
    public string? FindQuiescenceViolation()
    {
        if (Vm.Invalidations.InProgress != 0)
        {
            return $"{Vm.Invalidations.InProgress} invalidation(s) still in progress";
        }

        if (Vm.LivePinCount != 0)
        {
            return $"{Vm.LivePinCount} guest pin(s) never released";
        }

        for (ulong frame = 0; frame < (ulong)Memory.PageCount; frame++)
        {
            var pfn = new Pfn(frame);
            if (!IsFree(pfn) && !_ownedByWorld.Contains(pfn) && !Memory.IsDriverOwned(pfn) && !Mm.IsZeroPage(pfn)
                && Memory.MapCount(pfn) == 0 && Memory.RefCount(pfn) != 0)
            {
                return $"{pfn} holds {Memory.RefCount(pfn)} reference(s) with no mapping: a reference was never dropped";
            }
        }

        return null;
    }

    private bool IsFree(Pfn pfn) => Memory.HasDescriptor(pfn) && Memory.IsFree(pfn);

    private string FirstBug()
    {
        foreach (var finding in Sanitizer.Findings)
        {
            if (finding.IsBug)
            {
                return finding.ToString();
            }
        }

        return string.Empty;
    }
}
