using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

public sealed class TeardownTests : GuestTestBase
{
    [Fact]
    public void Clean_teardown_reports_nothing()
    {
        Vm.HandleFault(new Gfn(1));
        Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out _);
        map!.Unmap();

        Vm.Destroy();

        Assert.Empty(Machine.Findings);
        Assert.True(Vm.IsDestroyed);
    }

    [Fact]
    public void Out_of_band_map_left_at_teardown_is_reported_as_a_leaked_pin()
    {
        Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out _);

        Vm.Destroy();

        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.PinLeakedAtTeardown, finding.Kind);
        Assert.Equal("vmcs12", finding.Owner);
        Assert.Equal(map!.Access(), finding.Pfn);
    }

    [Fact]
    public void Destroy_zaps_stage2_entries_itself_and_reports_nothing_for_them()
    {
        // kvm_destroy_vm tears the stage-2 MMU down (kvm_arch_destroy_vm -> kvm_mmu_uninit_vm): nothing to report.
        Vm.HandleFault(new Gfn(1));
        Vm.Stage2.TryLookup(new Gfn(1), out var pfn);

        Vm.Destroy();

        Assert.Empty(Machine.Findings);
        Assert.Equal(0, Vm.Stage2.Count);
        Assert.Equal(1, Machine.Memory.MapCount(pfn));
    }

    [Fact]
    public void DestroyedVm_no_longer_hears_invalidations()
    {
        Vm.Destroy();

        Assert.Equal(0, Machine.Mm.Notifiers.Count);
    }

    [Fact]
    public void Destroy_invalidates_covered_mappings()
    {
        var cache = new PfnCache(Vm, new Gfn(1), "pv clock");
        cache.Refresh();

        Vm.Destroy();

        Assert.False(cache.Check());
    }

    [Fact]
    public void DestroyedVm_refuses_faults()
    {
        Vm.Destroy();

        Assert.Throws<System.InvalidOperationException>(() => Vm.HandleFault(new Gfn(1)));
    }

    [Fact]
    public void DestroyedVm_refuses_an_out_of_band_map_with_a_reason_instead_of_throwing()
    {
        Vm.Destroy();

        Assert.False(Vm.TryMapOutOfBand(new Gfn(2), "vmcs12", out var map, out var refusal));

        Assert.Null(map);
        Assert.Equal(PinRefusal.VmDestroyed, refusal);
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Out_of_band_map_without_an_owner_is_a_programming_error()
    {
        Assert.Throws<System.ArgumentNullException>(() => Vm.TryMapOutOfBand(new Gfn(2), null!, out _, out _));
    }
}
