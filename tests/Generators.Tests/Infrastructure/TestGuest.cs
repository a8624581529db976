using System.Collections.Generic;
using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Generators.Tests.Infrastructure;

/// <summary>
/// The real Runtime the execution tests map from: a <see cref="Vm"/> whose RAM memslot is anonymous memory
/// (refcounted pages) and whose second memslot is a GPU driver's non-compound block behind a PfnMap VMA (valid pages
/// that are not refcounted), with a sanitizer attached to the physical memory.
/// </summary>
internal sealed class TestGuest
{
    private const ulong RamPages = 64;
    private const int DriverBlockOrder = 2;
    private static readonly Gfn DriverBlockGfn = new(0x1000);

    private readonly PhysicalMemory _memory;
    private readonly AddressSpace _mm;
    private readonly Vma _ram;
    private readonly Vm _vm;
    private readonly Dictionary<Pfn, int> _unpinnedRefCounts = new();

    public TestGuest()
    {
        Sanitizer = new MmuSanitizer();
        _memory = new PhysicalMemory(1024, Sanitizer);
        _mm = new AddressSpace(_memory, "vmm");
        _ram = _mm.Mmap(RamPages, VmaFlags.Normal, "guest ram");
        _vm = new Vm(_mm, "vm0");
        _vm.AddMemslot(new Gfn(0), RamPages, _ram.Start);

        var block = _memory.Allocate(DriverBlockOrder, AllocationKind.NonCompound);
        var pages = 1UL << DriverBlockOrder;
        var bar = _mm.Mmap(pages, VmaFlags.PfnMap | VmaFlags.Io, "gpu bar");
        for (ulong i = 0; i < pages; i++)
        {
            _mm.InsertPfn(bar.Start.AddPages(i), block.Add(i));
        }

        _vm.AddMemslot(DriverBlockGfn, pages, bar.Start);
        NonRefcountedGfn = Baseline(DriverBlockGfn.Add(1));
    }

    public IPinnedPageSource Pinned => _vm;

    public ICoveredPageSource Covered => _vm;

    public MmuSanitizer Sanitizer { get; }

    /// <summary>How many notifier-covered mappings the VM tracks.</summary>
    public int TrackedMappingCount => _vm.TrackedMappingCount;

    /// <summary>A guest frame backed by a tail page of the driver's block: refused for a pin, fine when covered.</summary>
    public Gfn NonRefcountedGfn { get; }

    /// <summary>The <paramref name="index"/>-th guest RAM frame, faulted in: an ordinary refcounted page.</summary>
    public Gfn RefcountedGfn(int index) => Baseline(new Gfn((ulong)index));

    /// <summary>The host frame behind <paramref name="gfn"/>, resolved as the VM resolves it (no reference taken).</summary>
    public Pfn FrameOf(Gfn gfn)
    {
        if (!_vm.TryResolve(gfn, out var pfn, out var refusal))
        {
            throw new System.InvalidOperationException($"{gfn} does not resolve: {refusal}");
        }

        return pfn;
    }

    /// <summary>How many references above its unpinned count the page behind <paramref name="gfn"/> holds.</summary>
    public int PinsOn(Gfn gfn)
    {
        var pfn = FrameOf(gfn);
        return _memory.RefCount(pfn) - _unpinnedRefCounts[pfn];
    }

    /// <summary>Destroys the VM, which reports every guest-page pin still held as a leak.</summary>
    public void DestroyVm() => _vm.Destroy();

    /// <summary>The host zaps the RAM page behind <paramref name="gfn"/>: the MMU notifiers invalidate it.</summary>
    public void InvalidateHostMapping(Gfn gfn) => _mm.ZapRange(_ram.Start.AddPages(gfn.Value), 1);

    private Gfn Baseline(Gfn gfn)
    {
        var pfn = FrameOf(gfn);
        if (!_unpinnedRefCounts.ContainsKey(pfn))
        {
            _unpinnedRefCounts[pfn] = _memory.RefCount(pfn);
        }

        return gfn;
    }
}
