using System;
using MmuGuard.Host;
using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Host;

public sealed class AddressSpaceTests
{
    private readonly TestMachine _machine = new(pages: 256);

    private AddressSpace Mm => _machine.Mm;

    private PhysicalMemory Memory => _machine.Memory;

    [Fact]
    public void Overlapping_vma_is_rejected_naming_the_vma_in_the_way()
    {
        Mm.Mmap(HostVirtualAddress.FromPage(0x100), 8, VmaFlags.Normal, "heap");

        var error = Assert.Throws<ArgumentException>(() => Mm.Mmap(HostVirtualAddress.FromPage(0x104), 8, VmaFlags.Normal, "stack"));

        Assert.Contains("heap", error.Message);
    }

    [Fact]
    public void Unaligned_vma_start_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Mm.Mmap(new HostVirtualAddress(0x1234), 1, VmaFlags.Normal, "odd"));

        Assert.Contains("page boundary", error.Message);
    }

    [Fact]
    public void Automatically_placed_vmas_do_not_touch()
    {
        var first = Mm.Mmap(4, VmaFlags.Normal, "a");
        var second = Mm.Mmap(4, VmaFlags.Normal, "b");

        Assert.True(second.Start.Value > first.End.Value);
    }

    [Fact]
    public void GetUserPages_faults_anonymous_memory_in_and_returns_an_extra_reference()
    {
        var vma = Mm.Mmap(4, VmaFlags.Normal, "anon");

        var page = Mm.GetUserPages(vma.Start.AddPages(2));

        Assert.Equal(2, Memory.RefCount(page));
        Assert.Equal(1, Memory.MapCount(page));
    }

    [Fact]
    public void GetUserPages_refuses_a_pfnmap_vma_and_says_to_use_follow_pte()
    {
        var bar = Mm.Mmap(1, VmaFlags.PfnMap, "bar");

        var error = Assert.Throws<InvalidOperationException>(() => Mm.GetUserPages(bar.Start));

        Assert.Contains("FollowPte", error.Message);
    }

    [Fact]
    public void GetUserPages_on_an_unmapped_address_names_the_address()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Mm.GetUserPages(new HostVirtualAddress(0x7000_0000)));

        Assert.Contains("hva 0x70000000", error.Message);
    }

    [Fact]
    public void FollowPte_returns_the_raw_frame_without_a_reference()
    {
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);
        var bar = Mm.Mmap(2, VmaFlags.PfnMap, "bar");
        Mm.InsertPfn(bar.Start.AddPages(1), first.Add(1));

        var pfn = Mm.FollowPte(bar.Start.AddPages(1));

        Assert.Equal(first.Add(1), pfn);
        Assert.Equal(0, Memory.RefCount(pfn));
    }

    [Fact]
    public void FollowPte_on_a_page_with_no_entry_throws()
    {
        var bar = Mm.Mmap(2, VmaFlags.PfnMap, "bar");

        var error = Assert.Throws<InvalidOperationException>(() => Mm.FollowPte(bar.Start));

        Assert.Contains("no page-table entry", error.Message);
    }

    [Fact]
    public void InsertPfn_into_anonymous_memory_is_rejected()
    {
        var vma = Mm.Mmap(1, VmaFlags.Normal, "anon");

        var error = Assert.Throws<InvalidOperationException>(() => Mm.InsertPfn(vma.Start, new Pfn(1)));

        Assert.Contains("neither PfnMap nor MixedMap", error.Message);
    }

    [Fact]
    public void InsertPfn_over_an_existing_entry_is_rejected()
    {
        var bar = Mm.Mmap(1, VmaFlags.PfnMap, "bar");
        Mm.InsertPfn(bar.Start, Memory.Allocate());

        var error = Assert.Throws<InvalidOperationException>(() => Mm.InsertPfn(bar.Start, new Pfn(9)));

        Assert.Contains("already maps", error.Message);
    }

    [Fact]
    public void MixedMap_gup_pins_a_refcounted_page_but_refuses_a_driver_tail()
    {
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);
        var mixed = Mm.Mmap(2, VmaFlags.MixedMap, "mixed");
        Mm.InsertPfn(mixed.Start, first);
        Mm.InsertPfn(mixed.Start.AddPages(1), first.Add(1));

        Assert.True(Mm.TryGetUserPages(mixed.Start, out var pinned));
        Assert.Equal(2, Memory.RefCount(pinned));
        Assert.False(Mm.TryGetUserPages(mixed.Start.AddPages(1), out _));
    }

    [Fact]
    public void ZapRange_tells_subscribers_before_entries_go_and_after()
    {
        var vma = Mm.Mmap(2, VmaFlags.Normal, "anon");
        Mm.FaultIn(vma.Start);
        var witness = new EntryWitness(Mm, vma.Start);
        Mm.Notifiers.Register(witness);

        Mm.ZapRange(vma.Start, 2);

        Assert.True(witness.PresentAtStart);
        Assert.False(witness.PresentAtEnd);
        Assert.Equal(vma.Range, witness.Range);
    }

    [Fact]
    public void ZapRange_frees_anonymous_pages_nobody_else_pins()
    {
        var vma = Mm.Mmap(1, VmaFlags.Normal, "anon");
        var page = Mm.FaultIn(vma.Start);

        Mm.ZapRange(vma.Start, 1);

        Assert.True(Memory.IsFree(page));
        Assert.Empty(_machine.Findings);
    }

    [Fact]
    public void ZapRange_keeps_a_page_somebody_pins()
    {
        var vma = Mm.Mmap(1, VmaFlags.Normal, "anon");
        Mm.FaultIn(vma.Start); // written once, so GUP finds a page of its own rather than the zero page
        var page = Mm.GetUserPages(vma.Start);

        Mm.ZapRange(vma.Start, 1);

        Assert.Equal(1, Memory.RefCount(page));
        Assert.Equal(0, Memory.MapCount(page));
    }

    [Fact]
    public void Munmap_removes_the_vma()
    {
        var vma = Mm.Mmap(2, VmaFlags.Normal, "anon");

        Mm.Munmap(vma.Start, 2);

        Assert.Null(Mm.FindVma(vma.Start));
        Assert.Empty(Mm.Vmas);
    }

    [Fact]
    public void Munmap_of_part_of_a_vma_is_rejected()
    {
        var vma = Mm.Mmap(4, VmaFlags.Normal, "anon");

        var error = Assert.Throws<ArgumentException>(() => Mm.Munmap(vma.Start, 2));

        Assert.Contains("split", error.Message);
    }

    private sealed class EntryWitness : IMmuNotifier
    {
        private readonly AddressSpace _mm;
        private readonly HostVirtualAddress _watched;

        public EntryWitness(AddressSpace mm, HostVirtualAddress watched)
        {
            _mm = mm;
            _watched = watched;
        }

        public bool PresentAtStart { get; private set; }

        public bool PresentAtEnd { get; private set; }

        public HostRange Range { get; private set; }

        public void InvalidateRangeStart(HostRange range)
        {
            Range = range;
            PresentAtStart = _mm.TryFollowPte(_watched, out _);
        }

        public void InvalidateRangeEnd(HostRange range) => PresentAtEnd = _mm.TryFollowPte(_watched, out _);
    }
}
