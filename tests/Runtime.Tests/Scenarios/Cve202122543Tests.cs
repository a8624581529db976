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
public sealed class Cve202122543Tests
{
    private static readonly Gfn BarGfn = new(0x100);

    private readonly TestMachine _machine = new(pages: 1024);
    private readonly Vm _vm;
    private readonly DriverBlock _block;

    public Cve202122543Tests()
    {
        _vm = _machine.CreateGuest(ramPages: 16).Vm;
        _block = _machine.ExposeDriverBlock(_vm, BarGfn, order: 2);
    }

    [Fact]
    public void Unconditional_pin_of_a_driver_tail_is_the_first_thing_reported()
    {
        LegacyKvmFaultPath.PinUnconditionally(_vm, _block.GfnOf(1));

        var first = _machine.Findings[0];
        Assert.Equal(FindingKind.PinOfNonRefcountedPage, first.Kind);
        Assert.Equal(_block.PfnOf(1), first.Pfn);
        Assert.Equal("Pin", first.Operation);
    }

    [Fact]
    public void Releasing_that_pin_frees_the_page_under_the_driver_while_host_and_guest_still_map_it()
    {
        LegacyKvmFaultPath.PinUnconditionally(_vm, _block.GfnOf(1));

        Assert.Equal(
            new[] { FindingKind.PinOfNonRefcountedPage, FindingKind.FreedUnderDriver, FindingKind.FreedWhileMapped, },
            _machine.FindingKinds());
        Assert.True(_machine.Memory.IsFree(_block.PfnOf(1)));
        Assert.True(_vm.Stage2.TryLookup(_block.GfnOf(1), out var mapped));
        Assert.Equal(_block.PfnOf(1), mapped);
    }

    [Fact]
    public void The_freed_frame_is_handed_to_the_next_allocation_while_the_guest_maps_it()
    {
        LegacyKvmFaultPath.PinUnconditionally(_vm, _block.GfnOf(1));

        var strangersPage = _machine.Memory.Allocate();

        Assert.Equal(_block.PfnOf(1), strangersPage);
        Assert.True(_vm.Stage2.TryLookup(_block.GfnOf(1), out var guestSees));
        Assert.Equal(strangersPage, guestSees);
    }

    [Fact]
    public void The_driver_freeing_its_block_afterwards_frees_the_strangers_page_again()
    {
        LegacyKvmFaultPath.PinUnconditionally(_vm, _block.GfnOf(1));
        _machine.Memory.Allocate();
        _machine.Sanitizer.Clear();

        _block.TearDown(_machine.Mm);

        Assert.Equal(FindingKind.DoubleFree, Assert.Single(_machine.Findings).Kind);
    }

    [Fact]
    public void With_the_2021_fix_the_fault_fails_cleanly_and_nothing_is_freed()
    {
        var result = LegacyKvmFaultPath.PinIfRefcounted(_vm, _block.GfnOf(1), out var refusal);

        Assert.Equal(FaultResult.NotPresent, result);
        Assert.Equal(PinRefusal.NotRefcounted, refusal);
        Assert.Equal(0, _vm.Stage2.Count);
        Assert.True(_machine.Memory.IsDriverOwned(_block.PfnOf(1)));
        Assert.Empty(_machine.Findings);
    }

    [Fact]
    public void With_the_2021_fix_the_refcounted_first_page_still_maps()
    {
        var result = LegacyKvmFaultPath.PinIfRefcounted(_vm, _block.GfnOf(0), out _);

        Assert.Equal(FaultResult.Installed, result);
        Assert.Equal(1, _machine.Memory.RefCount(_block.PfnOf(0)));
        Assert.Empty(_machine.Findings);
    }
}
