using System;
using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Physical;

/// <summary>
/// A PFN that names no frame (neither RAM nor a registered device range) is a caller bug: the <c>Try*</c> operations
/// refuse it, everything else throws an <see cref="ArgumentOutOfRangeException"/> naming the PFN and the RAM range.
/// </summary>
public sealed class BadPfnTests : MemoryTestBase
{
    private static readonly Pfn Nowhere = new(0x5000);

    [Fact]
    public void Try_pin_refuses_the_largest_pfn()
    {
        Assert.False(Memory.TryPin(new Pfn(ulong.MaxValue)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(PhysicalMemory.MaxOrder + 1)]
    public void Try_allocate_refuses_an_order_outside_the_allocator(int order)
    {
        Assert.False(Memory.TryAllocate(order, AllocationKind.Compound, out var first));
        Assert.Equal(default, first);
        Assert.Equal(Memory.PageCount, Memory.FreePageCount);
    }

    [Theory]
    [InlineData(nameof(PhysicalMemory.RefCount))]
    [InlineData(nameof(PhysicalMemory.PinCount))]
    [InlineData(nameof(PhysicalMemory.MapCount))]
    [InlineData(nameof(PhysicalMemory.HasDescriptor))]
    [InlineData(nameof(PhysicalMemory.IsRefcounted))]
    [InlineData(nameof(PhysicalMemory.IsFree))]
    [InlineData(nameof(PhysicalMemory.IsReserved))]
    [InlineData(nameof(PhysicalMemory.IsDriverOwned))]
    [InlineData(nameof(PhysicalMemory.IsDirty))]
    [InlineData(nameof(PhysicalMemory.IsAccessed))]
    [InlineData(nameof(PhysicalMemory.Pin))]
    [InlineData(nameof(PhysicalMemory.Unpin))]
    [InlineData(nameof(PhysicalMemory.UnpinUserPage))]
    [InlineData(nameof(PhysicalMemory.FreeBlock))]
    [InlineData(nameof(PhysicalMemory.MarkDirty))]
    [InlineData(nameof(PhysicalMemory.AddMapping))]
    public void Operation_on_a_pfn_that_names_no_frame_throws_naming_the_pfn_and_ram(string operation)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Apply(operation, Nowhere));

        Assert.Equal("pfn", error.ParamName);
        Assert.Contains("pfn 0x5000", error.Message);
        Assert.Contains($"pfn 0x0..0x{Memory.PageCount - 1:x}", error.Message);
    }

    [Fact]
    public void Reserve_outside_ram_throws_naming_the_range()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Memory.Reserve(Nowhere, 1));

        Assert.Contains("pfn 0x5000", error.Message);
    }

    [Fact]
    public void Mapper_name_of_an_unregistered_id_throws_naming_the_id()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Memory.MapperName(new MapperId(7)));

        Assert.Contains("Mapper id 7", error.Message);
    }

    private void Apply(string operation, Pfn pfn)
    {
        _ = operation switch
        {
            nameof(PhysicalMemory.RefCount) => Memory.RefCount(pfn),
            nameof(PhysicalMemory.PinCount) => Memory.PinCount(pfn),
            nameof(PhysicalMemory.MapCount) => Memory.MapCount(pfn),
            nameof(PhysicalMemory.HasDescriptor) => Memory.HasDescriptor(pfn),
            nameof(PhysicalMemory.IsRefcounted) => Memory.IsRefcounted(pfn),
            nameof(PhysicalMemory.IsFree) => Memory.IsFree(pfn),
            nameof(PhysicalMemory.IsReserved) => Memory.IsReserved(pfn),
            nameof(PhysicalMemory.IsDriverOwned) => Memory.IsDriverOwned(pfn),
            nameof(PhysicalMemory.IsDirty) => Memory.IsDirty(pfn),
            nameof(PhysicalMemory.IsAccessed) => Memory.IsAccessed(pfn),
            nameof(PhysicalMemory.Pin) => Run(() => Memory.Pin(pfn)),
            nameof(PhysicalMemory.Unpin) => Run(() => Memory.Unpin(pfn)),
            nameof(PhysicalMemory.UnpinUserPage) => Run(() => Memory.UnpinUserPage(pfn)),
            nameof(PhysicalMemory.FreeBlock) => Run(() => Memory.FreeBlock(pfn)),
            nameof(PhysicalMemory.MarkDirty) => Run(() => Memory.MarkDirty(pfn)),
            nameof(PhysicalMemory.AddMapping) => Run(() => Memory.AddMapping(pfn, Memory.RegisterMapper("test"))),
            _ => throw new ArgumentException($"No case for {operation}.", nameof(operation)),
        };
    }

    private static object Run(Action action)
    {
        action();
        return action;
    }
}
