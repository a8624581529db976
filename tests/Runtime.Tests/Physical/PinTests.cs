using System;
using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Physical;

public sealed class PinTests : MemoryTestBase
{
    [Fact]
    public void TryPin_adds_a_reference_to_a_refcounted_page()
    {
        var page = Memory.Allocate();

        Assert.True(Memory.TryPin(page));
        Assert.Equal(2, Memory.RefCount(page));
    }

    [Fact]
    public void Pin_of_a_non_compound_tail_is_reported_as_pin_of_non_refcounted_page()
    {
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);

        Memory.Pin(first.Add(1));

        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.PinOfNonRefcountedPage, finding.Kind);
        Assert.Equal(first.Add(1), finding.Pfn);
        Assert.Contains("driver", finding.Owner);
        Assert.Equal(1, Memory.RefCount(first.Add(1)));
    }

    [Fact]
    public void Unpin_to_zero_frees_a_driver_page_under_its_driver()
    {
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);
        Memory.Pin(first.Add(1));

        Memory.Unpin(first.Add(1));

        Assert.Equal(FindingKind.FreedUnderDriver, Machine.Findings[^1].Kind);
        Assert.True(Memory.IsFree(first.Add(1)));
    }

    [Fact]
    public void Unpin_of_a_page_with_no_reference_is_reported_below_zero()
    {
        var page = Memory.Allocate();
        Memory.Unpin(page);

        Memory.Unpin(page);

        Assert.Equal(FindingKind.UnpinBelowZero, Assert.Single(Machine.Findings).Kind);
        Assert.Equal(0, Memory.RefCount(page));
    }

    [Fact]
    public void Pin_of_a_frame_without_descriptor_is_reported_then_throws()
    {
        Memory.RegisterDeviceRange(TestMachine.MmioBase, 1, "mmio");

        var error = Assert.Throws<InvalidOperationException>(() => Memory.Pin(TestMachine.MmioBase));

        Assert.Contains("no page descriptor", error.Message);
        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.PinWithoutDescriptor, finding.Kind);
        Assert.Contains("mmio", finding.Owner);
    }

    [Fact]
    public void Pin_of_a_free_frame_is_reported_then_throws()
    {
        Assert.Throws<InvalidOperationException>(() => Memory.Pin(new Pfn(3)));

        Assert.Equal(FindingKind.PinOfNonRefcountedPage, Assert.Single(Machine.Findings).Kind);
        Assert.True(Memory.IsFree(new Pfn(3)));
    }

    [Fact]
    public void Throw_mode_stops_at_the_faulting_pin()
    {
        var machine = new TestMachine(pages: 64, SanitizerMode.Throw);
        var first = machine.Memory.Allocate(order: 1, AllocationKind.NonCompound);

        var error = Assert.Throws<SanitizerException>(() => machine.Memory.Pin(first.Add(1)));

        Assert.Equal(FindingKind.PinOfNonRefcountedPage, error.Finding.Kind);
    }

    [Fact]
    public void Disabled_sanitizer_records_nothing()
    {
        Machine.Sanitizer.Enabled = false;
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);

        Memory.Pin(first.Add(1));
        Memory.Unpin(first.Add(1));

        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Frame_freed_while_mapped_is_reported_with_the_mapping_that_reaches_it()
    {
        var mapper = Memory.RegisterMapper("test stage-2");
        var page = Memory.Allocate();
        Memory.AddMapping(page, mapper);

        Memory.Unpin(page);

        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.FreedWhileMapped, finding.Kind);
        Assert.Equal("test stage-2", finding.Owner);
        Assert.Equal("Unpin", finding.Operation);
    }

    [Fact]
    public void Removing_a_mapping_that_is_not_there_throws()
    {
        var mapper = Memory.RegisterMapper("cache");
        var page = Memory.Allocate();

        var error = Assert.Throws<InvalidOperationException>(() => Memory.RemoveMapping(page, mapper));

        Assert.Contains("removed twice", error.Message);
    }

    [Fact]
    public void MarkDirty_under_a_reference_marks_the_page()
    {
        var page = Memory.Allocate();

        Memory.MarkDirty(page);

        Assert.True(Memory.IsDirty(page));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void MarkAccessed_on_a_non_refcounted_page_is_reported()
    {
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);

        Memory.MarkAccessed(first.Add(1));

        Assert.Equal(FindingKind.MarkWithoutReference, Assert.Single(Machine.Findings).Kind);
    }

    [Fact]
    public void Freeing_a_block_whose_page_was_freed_under_the_driver_reports_a_double_free()
    {
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);
        Memory.Pin(first.Add(1));
        Memory.Unpin(first.Add(1));
        var stranger = Memory.Allocate();
        Machine.Sanitizer.Clear();

        Memory.FreeBlock(first);

        Assert.Equal(first.Add(1), stranger);
        Assert.Equal(FindingKind.DoubleFree, Assert.Single(Machine.Findings).Kind);
        Assert.False(Memory.IsFree(stranger));
    }

    [Fact]
    public void Freeing_a_block_returns_a_pinned_tail_to_the_allocator_at_once()
    {
        // __free_pages (mm/page_alloc.c, Linux 5.10, e320d3012d25) frees a non-compound block's tails whatever
        // their counts: the pin does not keep the frame.
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);
        Memory.Pin(first.Add(1));
        Machine.Sanitizer.Clear();

        Memory.FreeBlock(first);

        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.FreedWhilePinned, finding.Kind);
        Assert.Equal(first.Add(1), finding.Pfn);
        Assert.True(Memory.IsFree(first.Add(1)));
    }

    [Fact]
    public void Stale_release_of_a_tail_freed_under_its_pin_drops_the_next_owners_reference()
    {
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);
        Memory.Pin(first.Add(1));
        Memory.FreeBlock(first);
        var stranger = Memory.Allocate();

        Memory.Unpin(first.Add(1));

        Assert.Equal(first.Add(1), stranger);
        Assert.True(Memory.IsFree(stranger));
    }

    [Fact]
    public void Freeing_a_block_whose_first_page_is_still_referenced_frees_the_tails_and_keeps_the_first()
    {
        var first = Memory.Allocate(order: 2, AllocationKind.NonCompound);
        Memory.Pin(first);

        Memory.FreeBlock(first);

        Assert.False(Memory.IsFree(first));
        Assert.True(Memory.IsFree(first.Add(1)));
        Assert.True(Memory.IsFree(first.Add(3)));
        Assert.Equal(Memory.PageCount - 1, Memory.FreePageCount);
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void First_page_of_a_freed_block_goes_back_alone_at_its_last_release()
    {
        var first = Memory.Allocate(order: 2, AllocationKind.NonCompound);
        Memory.Pin(first);
        Memory.FreeBlock(first);

        Memory.Unpin(first);

        Assert.True(Memory.IsFree(first));
        Assert.Equal(Memory.PageCount, Memory.FreePageCount);
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Freeing_a_free_block_again_is_reported_as_a_double_free()
    {
        var page = Memory.Allocate();
        Memory.FreeBlock(page);

        Memory.FreeBlock(page);

        Assert.Equal(FindingKind.DoubleFree, Assert.Single(Machine.Findings).Kind);
    }

    [Fact]
    public void Freeing_by_a_tail_frame_is_rejected()
    {
        var head = Memory.Allocate(order: 1, AllocationKind.Compound);

        var error = Assert.Throws<ArgumentException>(() => Memory.FreeBlock(head.Add(1)));

        Assert.Contains("first frame", error.Message);
    }

    [Fact]
    public void Pin_of_reserved_memory_is_reported_as_pin_of_non_refcounted_page()
    {
        Memory.Reserve(new Pfn(4), 1);

        Memory.Pin(new Pfn(4));

        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.PinOfNonRefcountedPage, finding.Kind);
        Assert.Equal("reserved memory", finding.Owner);
    }

    [Fact]
    public void Reserved_memory_never_drops_its_base_reference()
    {
        Memory.Reserve(new Pfn(4), 1);

        Memory.Unpin(new Pfn(4));

        Assert.Equal(FindingKind.UnpinBelowZero, Assert.Single(Machine.Findings).Kind);
        Assert.Equal(1, Memory.RefCount(new Pfn(4)));
        Assert.False(Memory.IsFree(new Pfn(4)));
    }

    [Fact]
    public void Freeing_a_compound_block_somebody_still_references_keeps_it_until_the_last_unpin()
    {
        var head = Memory.Allocate(order: 2, AllocationKind.Compound);
        Memory.Pin(head.Add(2));

        Memory.FreeBlock(head);

        Assert.False(Memory.IsFree(head));
        Memory.Unpin(head.Add(2));
        Assert.True(Memory.IsFree(head.Add(3)));
        Assert.Empty(Machine.Findings);
    }
}
