using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

public sealed class OutOfBandMapTests : GuestTestBase
{
    [Fact]
    public void Map_of_guest_ram_pins_the_page()
    {
        Assert.True(Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out var refusal));

        Assert.Equal(PinRefusal.None, refusal);
        Assert.Equal(2, Machine.Memory.RefCount(map.Access()));
        Assert.Equal(1, Vm.LivePinCount);
    }

    [Fact]
    public void Map_refuses_a_driver_page_as_remapped_memory()
    {
        var block = ExposeDriverBlock();

        Assert.False(Vm.TryMapOutOfBand(block.GfnOf(1), "apic access page", out _, out var refusal));

        Assert.Equal(PinRefusal.RemappedMemory, refusal);
        Assert.Equal(0, Machine.Memory.RefCount(block.PfnOf(1)));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Map_refuses_mmio_as_remapped_memory()
    {
        Machine.ExposeMmio(Vm, new Gfn(0x200));

        Assert.False(Vm.TryMapOutOfBand(new Gfn(0x200), "posted interrupt descriptor", out _, out var refusal));

        Assert.Equal(PinRefusal.RemappedMemory, refusal);
    }

    [Fact]
    public void Map_refuses_the_refcounted_first_page_of_a_driver_block_because_it_is_remapped()
    {
        // 6.13: only pages GUP returned count as refcounted; a PfnMap page is refused whatever its count.
        var block = ExposeDriverBlock();

        Assert.False(Vm.TryMapOutOfBand(block.GfnOf(0), "vmcs12", out _, out var refusal));

        Assert.Equal(PinRefusal.RemappedMemory, refusal);
        Assert.Equal(1, Machine.Memory.RefCount(block.PfnOf(0)));
    }

    [Fact]
    public void Map_outside_every_memslot_is_refused()
    {
        Assert.False(Vm.TryMapOutOfBand(new Gfn(0x999), "vmcb12", out _, out var refusal));

        Assert.Equal(PinRefusal.NoMemslot, refusal);
    }

    [Fact]
    public void Map_of_a_driver_page_with_no_entry_is_refused_as_remapped_before_the_pte_is_read()
    {
        var block = ExposeDriverBlock();
        Machine.Mm.ZapRange(block.Bar.Start, block.Bar.PageCount);

        Assert.False(Vm.TryMapOutOfBand(block.GfnOf(0), "vmcs12", out _, out var refusal));

        Assert.Equal(PinRefusal.RemappedMemory, refusal);
    }

    [Fact]
    public void Unmap_releases_the_pin()
    {
        Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out _);
        var pfn = map!.Access();

        map.Unmap();

        Assert.Equal(1, Machine.Memory.RefCount(pfn));
        Assert.Equal(0, Vm.LivePinCount);
        Assert.False(map.IsMapped);
    }

    [Fact]
    public void Dirty_unmap_marks_the_page_dirty()
    {
        Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out _);
        var pfn = map!.Access();

        map.Unmap(dirty: true);

        Assert.True(Machine.Memory.IsDirty(pfn));
    }

    [Fact]
    public void Access_after_unmap_is_reported()
    {
        Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out _);
        map!.Unmap();

        map.Access();

        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.UseAfterUnmap, finding.Kind);
        Assert.Equal("vmcs12", finding.Owner);
    }

    [Fact]
    public void Second_unmap_is_reported_and_releases_nothing()
    {
        Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out _);
        var pfn = map!.Access();
        map.Unmap();

        map.Unmap();

        Assert.Equal(FindingKind.UseAfterUnmap, Assert.Single(Machine.Findings).Kind);
        Assert.Equal(1, Machine.Memory.RefCount(pfn));
    }

    [Fact]
    public void Host_unmap_does_not_reach_the_map_but_its_pin_keeps_the_frame()
    {
        Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out _);
        var pfn = map!.Access();

        Machine.Mm.Munmap(Guest.Ram.Start, Guest.Ram.PageCount);

        Assert.True(map.IsMapped);
        Assert.False(Machine.Memory.IsFree(pfn));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Guest_page_pin_is_released_through_the_page_source()
    {
        IPinnedPageSource source = Vm;
        Assert.True(source.TryPinGuestPage(new Gfn(4), out var pfn, out _));

        source.ReleaseGuestPage(pfn);

        Assert.Equal(1, Machine.Memory.RefCount(pfn));
        Assert.Equal(0, Vm.LivePinCount);
    }

    [Fact]
    public void Releasing_a_guest_page_never_pinned_is_reported_as_unbalanced()
    {
        var pfn = Machine.Mm.FaultIn(Guest.Ram.Start);

        ((IPinnedPageSource)Vm).ReleaseGuestPage(pfn);

        Assert.Equal(FindingKind.UnbalancedRelease, Assert.Single(Machine.Findings).Kind);
        Assert.Equal(1, Machine.Memory.RefCount(pfn));
    }

    [Fact]
    public void Releasing_an_out_of_band_maps_pin_through_the_page_source_is_reported_as_unbalanced()
    {
        Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out _);
        var pfn = map!.Access();

        ((IPinnedPageSource)Vm).ReleaseGuestPage(pfn);

        Assert.Equal(FindingKind.UnbalancedRelease, Assert.Single(Machine.Findings).Kind);
        Assert.Equal(2, Machine.Memory.RefCount(pfn));
    }

    [Fact]
    public void Inserting_an_unknown_frame_names_it()
    {
        var bar = Machine.Mm.Mmap(1, MmuGuard.Host.VmaFlags.PfnMap, "bar");

        var error = Assert.Throws<System.ArgumentOutOfRangeException>(() => Machine.Mm.InsertPfn(bar.Start, new MmuGuard.Physical.Pfn(0x7777)));

        Assert.Contains("pfn 0x7777", error.Message);
    }
}
