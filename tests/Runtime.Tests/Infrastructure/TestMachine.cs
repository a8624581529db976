using System.Collections.Generic;
using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Runtime.Tests.Infrastructure;

/// <summary>A host with physical memory, a sanitizer in record mode and one address space (a VMM process), for tests to build on.</summary>
public sealed class TestMachine
{
    /// <summary>Where the guest's device range (MMIO, no descriptor) starts, above any RAM a test asks for.</summary>
    public static readonly Pfn MmioBase = new(0x100000);

    public TestMachine(int pages = 4096, SanitizerMode mode = SanitizerMode.Record)
    {
        Sanitizer = new MmuSanitizer(mode);
        Memory = new PhysicalMemory(pages, Sanitizer);
        Mm = new AddressSpace(Memory, "vmm");
    }

    public MmuSanitizer Sanitizer { get; }

    public PhysicalMemory Memory { get; }

    public AddressSpace Mm { get; }

    public IReadOnlyList<Finding> Findings => Sanitizer.Findings;

    /// <summary>A VM behaving as <paramref name="policy"/> whose guest RAM (gfn 0 onwards) is an anonymous VMA of <paramref name="ramPages"/> pages.</summary>
    public GuestWithRam CreateGuest(ulong ramPages = 64, KvmPolicy policy = KvmPolicy.Kvm613, bool allowUnsafeMappings = false)
    {
        var ram = Mm.Mmap(ramPages, VmaFlags.Normal, "guest ram");
        var vm = new Vm(Mm, "vm0", policy, allowUnsafeMappings);
        vm.AddMemslot(new Gfn(0), ramPages, ram.Start);
        return new GuestWithRam(vm, ram);
    }

    /// <summary>
    /// A GPU-style driver exposing a non-compound block of 2^<paramref name="order"/> frames through a PfnMap VMA,
    /// made guest-visible by a memslot at <paramref name="baseGfn"/>.
    /// </summary>
    public DriverBlock ExposeDriverBlock(Vm vm, Gfn baseGfn, int order = 2, bool writable = true)
    {
        var first = Memory.Allocate(order, AllocationKind.NonCompound);
        var pages = 1UL << order;
        var bar = Mm.Mmap(pages, VmaFlags.PfnMap | VmaFlags.Io, "gpu bar");
        for (ulong i = 0; i < pages; i++)
        {
            Mm.InsertPfn(bar.Start.AddPages(i), first.Add(i), writable);
        }

        vm.AddMemslot(baseGfn, pages, bar.Start);
        return new DriverBlock(first, bar, baseGfn);
    }

    /// <summary>An MMIO range (no descriptor) mapped through a PfnMap VMA and a memslot at <paramref name="baseGfn"/>.</summary>
    public Vma ExposeMmio(Vm vm, Gfn baseGfn, ulong pages = 1, bool writable = true)
    {
        Memory.RegisterDeviceRange(MmioBase, pages, "test mmio");
        var bar = Mm.Mmap(pages, VmaFlags.PfnMap | VmaFlags.Io, "mmio bar");
        for (ulong i = 0; i < pages; i++)
        {
            Mm.InsertPfn(bar.Start.AddPages(i), MmioBase.Add(i), writable);
        }

        vm.AddMemslot(baseGfn, pages, bar.Start);
        return bar;
    }

    /// <summary>The kinds of the findings so far, in order.</summary>
    public List<FindingKind> FindingKinds()
    {
        var kinds = new List<FindingKind>();
        foreach (var finding in Sanitizer.Findings)
        {
            kinds.Add(finding.Kind);
        }

        return kinds;
    }
}
