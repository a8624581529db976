using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Scenarios;

/// <summary>
/// CVE-2021-22543 replayed step by step: a GPU driver's non-compound block behind a PfnMap VMA, mapped into a guest.
/// The block's pages past the first are valid but not refcounted; pinning one unconditionally and releasing it
/// frees it under the driver.
/// </summary>
public sealed class Cve202122543Tests : DriverBarTestBase
{
    [Fact]
    public void Unconditional_pin_of_a_driver_tail_is_the_first_thing_reported()
    {
        LegacyKvmFaultPath.PinUnconditionally(Vm, Block.GfnOf(1));

        var first = Machine.Findings[0];
        Assert.Equal(FindingKind.PinOfNonRefcountedPage, first.Kind);
        Assert.Equal(Block.PfnOf(1), first.Pfn);
        Assert.Equal("Pin", first.Operation);
    }

    [Fact]
    public void Releasing_that_pin_frees_the_page_under_the_driver_while_host_and_guest_still_map_it()
    {
        LegacyKvmFaultPath.PinUnconditionally(Vm, Block.GfnOf(1));

        Assert.Equal(
            new[] { FindingKind.PinOfNonRefcountedPage, FindingKind.FreedUnderDriver, FindingKind.FreedWhileMapped, },
            Machine.FindingKinds());
        Assert.True(Machine.Memory.IsFree(Block.PfnOf(1)));
        Assert.True(Vm.Stage2.TryLookup(Block.GfnOf(1), out var mapped));
        Assert.Equal(Block.PfnOf(1), mapped);
    }

    [Fact]
    public void The_freed_frame_is_handed_to_the_next_allocation_while_the_guest_maps_it()
    {
        LegacyKvmFaultPath.PinUnconditionally(Vm, Block.GfnOf(1));

        var strangersPage = Machine.Memory.Allocate();

        Assert.Equal(Block.PfnOf(1), strangersPage);
        Assert.True(Vm.Stage2.TryLookup(Block.GfnOf(1), out var guestSees));
        Assert.Equal(strangersPage, guestSees);
    }

    [Fact]
    public void The_driver_freeing_itsBlock_afterwards_frees_the_strangers_page_again()
    {
        LegacyKvmFaultPath.PinUnconditionally(Vm, Block.GfnOf(1));
        Machine.Memory.Allocate();
        Machine.Sanitizer.Clear();

        Block.TearDown(Machine.Mm);

        Assert.Equal(FindingKind.DoubleFree, Assert.Single(Machine.Findings).Kind);
    }

    [Fact]
    public void With_the_2021_fix_the_fault_fails_cleanly_and_nothing_is_freed()
    {
        var result = LegacyKvmFaultPath.PinIfRefcounted(Vm, Block.GfnOf(1), out var refusal);

        Assert.Equal(FaultResult.NotPresent, result);
        Assert.Equal(PinRefusal.NotRefcounted, refusal);
        Assert.Equal(0, Vm.Stage2.Count);
        Assert.True(Machine.Memory.IsDriverOwned(Block.PfnOf(1)));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void With_the_2021_fix_the_refcounted_first_page_still_maps()
    {
        var result = LegacyKvmFaultPath.PinIfRefcounted(Vm, Block.GfnOf(0), out _);

        Assert.Equal(FaultResult.Installed, result);
        Assert.Equal(1, Machine.Memory.RefCount(Block.PfnOf(0)));
        Assert.Empty(Machine.Findings);
    }
}
