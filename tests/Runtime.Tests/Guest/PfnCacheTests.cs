using System;
using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

public sealed class PfnCacheTests : DriverBarTestBase
{
    [Fact]
    public void New_cache_is_invalid_until_refreshed()
    {
        var cache = new PfnCache(Guest.Vm, Block.GfnOf(1), "steal time");

        Assert.False(cache.Check());
        Assert.False(cache.TryGetPfn(out _));
    }

    [Fact]
    public void Refresh_maps_a_driver_page_without_a_pin()
    {
        var cache = new PfnCache(Guest.Vm, Block.GfnOf(1), "steal time");

        Assert.True(cache.Refresh());

        Assert.True(cache.TryGetPfn(out var pfn));
        Assert.Equal(Block.PfnOf(1), pfn);
        Assert.Equal(0, Machine.Memory.RefCount(pfn));
        Assert.Equal(2, Machine.Memory.MapCount(pfn)); // the driver's PTE and the cache
    }

    [Fact]
    public void Host_invalidation_of_the_backing_page_invalidates_the_cache()
    {
        var cache = new PfnCache(Guest.Vm, Block.GfnOf(1), "steal time");
        cache.Refresh();

        Machine.Mm.ZapRange(Block.Bar.Start.AddPages(1), 1);

        Assert.False(cache.Check());
    }

    [Fact]
    public void Invalidation_elsewhere_leaves_the_cache_valid()
    {
        var cache = new PfnCache(Guest.Vm, Block.GfnOf(1), "steal time");
        cache.Refresh();

        Machine.Mm.ZapRange(Block.Bar.Start.AddPages(2), 1);

        Assert.True(cache.Check());
    }

    [Fact]
    public void Refresh_after_invalidation_picks_up_the_new_frame()
    {
        var cache = new PfnCache(Guest.Vm, new Gfn(3), "pv clock");
        cache.Refresh();
        Machine.Mm.ZapRange(Guest.Ram.Start.AddPages(3), 1);
        var other = Machine.Memory.Allocate();

        Assert.True(cache.Refresh());

        Assert.True(cache.TryGetPfn(out var pfn));
        Assert.NotEqual(other, pfn);
        Assert.Equal(Machine.Mm.FollowPte(Guest.Ram.Start.AddPages(3)), pfn);
    }

    [Fact]
    public void Refresh_of_an_unbacked_frame_fails_with_the_reason()
    {
        var cache = new PfnCache(Guest.Vm, new Gfn(0x999), "xen shared info");

        Assert.False(cache.Refresh());

        Assert.Equal(PinRefusal.NoMemslot, cache.LastRefusal);
    }

    [Fact]
    public void Refresh_during_an_invalidation_cannot_succeed_and_says_so()
    {
        var cache = new PfnCache(Guest.Vm, new Gfn(3), "pv clock");
        Guest.Vm.Invalidations.Begin();

        var error = Assert.Throws<InvalidOperationException>(() => cache.Refresh());

        Assert.Contains("in progress", error.Message);
    }

    [Fact]
    public void Deactivated_cache_is_no_longer_tracked_or_mapped()
    {
        var cache = new PfnCache(Guest.Vm, Block.GfnOf(1), "steal time");
        cache.Refresh();

        cache.Deactivate();

        Assert.Equal(0, Guest.Vm.TrackedMappingCount);
        Assert.Equal(1, Machine.Memory.MapCount(Block.PfnOf(1)));
        Assert.Throws<InvalidOperationException>(() => cache.Refresh());
    }

    [Fact]
    public void Covered_page_source_calls_the_owner_back_with_its_slot()
    {
        var owner = new SlotRecorder();
        ICoveredPageSource source = Guest.Vm;
        source.Track(owner, 7, Block.GfnOf(0));

        Machine.Mm.ZapRange(Block.Bar.Start, 1);

        Assert.Equal(7, owner.InvalidatedSlot);
    }

    [Fact]
    public void Untracked_owner_hears_nothing()
    {
        var owner = new SlotRecorder();
        ICoveredPageSource source = Guest.Vm;
        source.Track(owner, 7, Block.GfnOf(0));
        source.Untrack(owner, 7);

        Machine.Mm.ZapRange(Block.Bar.Start, 1);

        Assert.Null(owner.InvalidatedSlot);
    }

    private sealed class SlotRecorder : INotifierCoveredMappingOwner
    {
        public int? InvalidatedSlot { get; private set; }

        public void InvalidateCoveredMapping(int slot) => InvalidatedSlot = slot;
    }
}
