using System;
using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

public sealed class PfnCacheTests
{
    private readonly TestMachine _machine = new(pages: 1024);
    private readonly GuestWithRam _guest;
    private readonly DriverBlock _block;

    public PfnCacheTests()
    {
        _guest = _machine.CreateGuest(ramPages: 16);
        _block = _machine.ExposeDriverBlock(_guest.Vm, new Gfn(0x100));
    }

    [Fact]
    public void New_cache_is_invalid_until_refreshed()
    {
        var cache = new PfnCache(_guest.Vm, _block.GfnOf(1), "steal time");

        Assert.False(cache.Check());
        Assert.False(cache.TryGetPfn(out _));
    }

    [Fact]
    public void Refresh_maps_a_driver_page_without_a_pin()
    {
        var cache = new PfnCache(_guest.Vm, _block.GfnOf(1), "steal time");

        Assert.True(cache.Refresh());

        Assert.True(cache.TryGetPfn(out var pfn));
        Assert.Equal(_block.PfnOf(1), pfn);
        Assert.Equal(0, _machine.Memory.RefCount(pfn));
        Assert.Equal(2, _machine.Memory.MapCount(pfn)); // the driver's PTE and the cache
    }

    [Fact]
    public void Host_invalidation_of_the_backing_page_invalidates_the_cache()
    {
        var cache = new PfnCache(_guest.Vm, _block.GfnOf(1), "steal time");
        cache.Refresh();

        _machine.Mm.ZapRange(_block.Bar.Start.AddPages(1), 1);

        Assert.False(cache.Check());
    }

    [Fact]
    public void Invalidation_elsewhere_leaves_the_cache_valid()
    {
        var cache = new PfnCache(_guest.Vm, _block.GfnOf(1), "steal time");
        cache.Refresh();

        _machine.Mm.ZapRange(_block.Bar.Start.AddPages(2), 1);

        Assert.True(cache.Check());
    }

    [Fact]
    public void Refresh_after_invalidation_picks_up_the_new_frame()
    {
        var cache = new PfnCache(_guest.Vm, new Gfn(3), "pv clock");
        cache.Refresh();
        _machine.Mm.ZapRange(_guest.Ram.Start.AddPages(3), 1);
        var other = _machine.Memory.Allocate();

        Assert.True(cache.Refresh());

        Assert.True(cache.TryGetPfn(out var pfn));
        Assert.NotEqual(other, pfn);
        Assert.Equal(_machine.Mm.FollowPte(_guest.Ram.Start.AddPages(3)), pfn);
    }

    [Fact]
    public void Refresh_of_an_unbacked_frame_fails_with_the_reason()
    {
        var cache = new PfnCache(_guest.Vm, new Gfn(0x999), "xen shared info");

        Assert.False(cache.Refresh());

        Assert.Equal(PinRefusal.NoMemslot, cache.LastRefusal);
    }

    [Fact]
    public void Refresh_during_an_invalidation_cannot_succeed_and_says_so()
    {
        var cache = new PfnCache(_guest.Vm, new Gfn(3), "pv clock");
        _guest.Vm.Invalidations.Begin();

        var error = Assert.Throws<InvalidOperationException>(() => cache.Refresh());

        Assert.Contains("in progress", error.Message);
    }

    [Fact]
    public void Deactivated_cache_is_no_longer_tracked_or_mapped()
    {
        var cache = new PfnCache(_guest.Vm, _block.GfnOf(1), "steal time");
        cache.Refresh();

        cache.Deactivate();

        Assert.Equal(0, _guest.Vm.TrackedMappingCount);
        Assert.Equal(1, _machine.Memory.MapCount(_block.PfnOf(1)));
        Assert.Throws<InvalidOperationException>(() => cache.Refresh());
    }

    [Fact]
    public void Covered_page_source_calls_the_owner_back_with_its_slot()
    {
        var owner = new SlotRecorder();
        ICoveredPageSource source = _guest.Vm;
        source.Track(owner, 7, _block.GfnOf(0));

        _machine.Mm.ZapRange(_block.Bar.Start, 1);

        Assert.Equal(7, owner.InvalidatedSlot);
    }

    [Fact]
    public void Untracked_owner_hears_nothing()
    {
        var owner = new SlotRecorder();
        ICoveredPageSource source = _guest.Vm;
        source.Track(owner, 7, _block.GfnOf(0));
        source.Untrack(owner, 7);

        _machine.Mm.ZapRange(_block.Bar.Start, 1);

        Assert.Null(owner.InvalidatedSlot);
    }

    private sealed class SlotRecorder : INotifierCoveredMappingOwner
    {
        public int? InvalidatedSlot { get; private set; }

        public void InvalidateCoveredMapping(int slot) => InvalidatedSlot = slot;
    }
}
