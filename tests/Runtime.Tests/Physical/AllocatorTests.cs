using System;
using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Physical;

public sealed class AllocatorTests : MemoryTestBase
{
    [Fact]
    public void Allocated_page_starts_with_one_reference_owned_by_the_caller()
    {
        var page = Memory.Allocate();

        Assert.Equal(1, Memory.RefCount(page));
        Assert.True(Memory.IsRefcounted(page));
        Assert.False(Memory.IsFree(page));
        Assert.Equal(Memory.PageCount - 1, Memory.FreePageCount);
    }

    [Fact]
    public void Freed_frame_is_the_next_one_handed_out()
    {
        var first = Memory.Allocate();
        Memory.Allocate();

        Memory.Unpin(first);
        var reused = Memory.Allocate();

        Assert.Equal(first, reused);
    }

    [Fact]
    public void Compound_tail_reference_counts_on_the_head()
    {
        var head = Memory.Allocate(order: 2, AllocationKind.Compound);

        Memory.Pin(head.Add(3));

        Assert.Equal(2, Memory.RefCount(head));
        Assert.Equal(2, Memory.RefCount(head.Add(3)));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Compound_page_is_freed_whole_when_its_last_reference_drops_through_a_tail()
    {
        var head = Memory.Allocate(order: 2, AllocationKind.Compound);
        Memory.Pin(head.Add(1));
        Memory.Unpin(head);

        Memory.Unpin(head.Add(1));

        for (ulong i = 0; i < 4; i++)
        {
            Assert.True(Memory.IsFree(head.Add(i)));
        }

        Assert.Equal(Memory.PageCount, Memory.FreePageCount);
    }

    [Fact]
    public void Non_compound_block_refcounts_only_its_first_page()
    {
        var first = Memory.Allocate(order: 2, AllocationKind.NonCompound);

        Assert.Equal(1, Memory.RefCount(first));
        for (ulong i = 1; i < 4; i++)
        {
            Assert.Equal(0, Memory.RefCount(first.Add(i)));
            Assert.True(Memory.HasDescriptor(first.Add(i)));
            Assert.False(Memory.IsRefcounted(first.Add(i)));
            Assert.True(Memory.IsDriverOwned(first.Add(i)));
        }
    }

    [Fact]
    public void Freeing_a_non_compound_block_returns_every_frame()
    {
        var first = Memory.Allocate(order: 3, AllocationKind.NonCompound);

        Memory.FreeBlock(first);

        Assert.Equal(Memory.PageCount, Memory.FreePageCount);
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Freed_blocks_coalesce_into_a_max_order_block_again()
    {
        var memory = new PhysicalMemory(1 << PhysicalMemory.MaxOrder);
        var pages = new Pfn[1 << PhysicalMemory.MaxOrder];
        for (var i = 0; i < pages.Length; i++)
        {
            pages[i] = memory.Allocate();
        }

        foreach (var page in pages)
        {
            memory.Unpin(page);
        }

        Assert.True(memory.TryAllocate(PhysicalMemory.MaxOrder, AllocationKind.Compound, out var block));
        Assert.Equal(new Pfn(0), block);
    }

    [Fact]
    public void Exhausted_memory_refuses_allocation()
    {
        var memory = new PhysicalMemory(4);
        memory.Allocate(order: 2);

        Assert.False(memory.TryAllocate(0, AllocationKind.Compound, out _));
        var error = Assert.Throws<InvalidOperationException>(() => memory.Allocate());
        Assert.Contains("Out of memory", error.Message);
    }

    [Fact]
    public void Order_above_the_maximum_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Memory.Allocate(order: PhysicalMemory.MaxOrder + 1));

        Assert.Contains("0..10", error.Message);
    }

    [Fact]
    public void Reserved_frames_leave_the_allocator_and_cannot_be_try_pinned()
    {
        Memory.Reserve(new Pfn(8), 2);

        Assert.True(Memory.IsReserved(new Pfn(9)));
        Assert.Equal(Memory.PageCount - 2, Memory.FreePageCount);
        Assert.False(Memory.IsRefcounted(new Pfn(8)));
        Assert.False(Memory.TryPin(new Pfn(8)));
    }

    [Fact]
    public void Reserved_frames_are_never_handed_out()
    {
        Memory.Reserve(new Pfn(0), 1);

        for (var i = 1; i < Memory.PageCount; i++)
        {
            Assert.NotEqual(new Pfn(0), Memory.Allocate());
        }
    }

    [Fact]
    public void Reserving_a_frame_in_use_names_the_frame()
    {
        var page = Memory.Allocate();

        var error = Assert.Throws<InvalidOperationException>(() => Memory.Reserve(page, 1));

        Assert.Contains($"0x{page.Value:x}", error.Message);
    }

    [Fact]
    public void Device_range_frames_have_no_descriptor()
    {
        Memory.RegisterDeviceRange(new Pfn(0x10000), 16, "bar0");

        Assert.False(Memory.HasDescriptor(new Pfn(0x10005)));
        Assert.False(Memory.IsRefcounted(new Pfn(0x10005)));
        Assert.Equal(0, Memory.RefCount(new Pfn(0x10005)));
    }

    [Fact]
    public void Device_range_overlapping_ram_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Memory.RegisterDeviceRange(new Pfn(100), 4, "bad"));

        Assert.Contains("overlaps RAM", error.Message);
    }

    [Fact]
    public void Device_ranges_must_not_overlap_each_other()
    {
        Memory.RegisterDeviceRange(new Pfn(0x10000), 16, "bar0");

        var error = Assert.Throws<ArgumentException>(() => Memory.RegisterDeviceRange(new Pfn(0x1000f), 4, "bar1"));

        Assert.Contains("bar0", error.Message);
    }

    [Fact]
    public void Pfn_that_is_neither_ram_nor_device_is_rejected_with_its_value()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Memory.IsRefcounted(new Pfn(0x5000)));

        Assert.Contains("pfn 0x5000", error.Message);
    }

    [Fact]
    public void Descriptors_cost_at_most_24_bytes_a_frame()
    {
        const int pages = 1 << 20;
        var before = GC.GetAllocatedBytesForCurrentThread();

        var memory = new PhysicalMemory(pages);

        var bytesPerPage = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / pages;
        GC.KeepAlive(memory);
        Assert.InRange(bytesPerPage, 1, 24);
    }
}
