using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Scenarios;

/// <summary>
/// The design that settled the thread and merged in Linux 6.13, on the same driver block: stage-2 maps non-refcounted pages with no pin
/// and is zapped by the notifier when the driver tears down; the pinned out-of-band map refuses them; the PFN cache
/// maps them and is invalidated.
/// </summary>
public sealed class SettledDesignTests : DriverBarTestBase
{
    [Fact]
    public void Stage2_maps_every_page_of_theBlock_without_a_pin()
    {
        for (ulong i = 0; i < 4; i++)
        {
            Assert.Equal(FaultResult.Installed, Vm.HandleFault(Block.GfnOf(i)));
        }

        Assert.Equal(1, Machine.Memory.RefCount(Block.PfnOf(0)));
        Assert.Equal(0, Machine.Memory.RefCount(Block.PfnOf(3)));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Driver_teardown_zaps_stage2_before_theBlock_is_freed()
    {
        for (ulong i = 0; i < 4; i++)
        {
            Vm.HandleFault(Block.GfnOf(i));
        }

        Block.TearDown(Machine.Mm);

        Assert.Equal(0, Vm.Stage2.Count);
        Assert.True(Machine.Memory.IsFree(Block.PfnOf(2)));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Nested_out_of_band_map_refuses_the_driver_tail_as_remapped_memory()
    {
        var mapped = Vm.TryMapOutOfBand(Block.GfnOf(2), "vmcs02 apic-access page", out _, out var refusal);

        Assert.False(mapped);
        Assert.Equal(PinRefusal.RemappedMemory, refusal);
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Pfn_cache_maps_the_driver_tail_and_is_invalidated_by_driver_teardown()
    {
        var cache = new PfnCache(Vm, Block.GfnOf(2), "steal time");
        Assert.True(cache.Refresh());

        Block.TearDown(Machine.Mm);

        Assert.False(cache.Check());
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Whole_story_ends_with_a_clean_teardown()
    {
        var vcpu = Vm.CreateVcpu();
        var cache = new PfnCache(Vm, Block.GfnOf(3), "steal time");
        vcpu.Access(Block.GfnOf(1));
        vcpu.Access(new Gfn(4));
        cache.Refresh();
        Vm.TryMapOutOfBand(new Gfn(5), "vmcs12", out var vmcs12, out _);
        Vm.TryMapOutOfBand(Block.GfnOf(1), "apic page", out _, out _);

        Block.TearDown(Machine.Mm);
        vmcs12!.Unmap(dirty: true);
        cache.Deactivate();
        Vm.Destroy();

        Assert.Empty(Machine.Findings);
        Assert.Equal(0, Vm.LivePinCount);
    }
}
