using System;
using MmuGuard.Guest;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Concurrency;

/// <summary>
/// Hardware fields (vmcs02 addresses the CPU consumes): stale in guest mode is a finding; loaded from a PFN cache with
/// a reload request, an invalidation kicks the vCPU out and the entry maps the frame again or fails.
/// </summary>
public sealed class HardwareFieldTests : DriverBarTestBase
{
    private static readonly Gfn RamGfn = new(2);

    private readonly Vcpu _vcpu;
    private readonly HardwareField _field;

    public HardwareFieldTests()
    {
        _vcpu = Vm.CreateVcpu();
        _field = _vcpu.AddHardwareField("vmcs02.PostedInterruptDescriptor");
    }

    [Fact]
    public void A_raw_field_over_a_page_the_host_took_back_is_reported_stale_in_guest_mode()
    {
        Vm.TryResolve(BarGfn, out var pfn, out _);
        _field.Load(BarGfn, pfn);
        _vcpu.EnterGuest();

        Machine.Mm.ZapRange(Block.Bar.Start, 1);
        _vcpu.RunInGuest();

        Assert.Equal(new[] { FindingKind.StaleHardwareAddress }, Machine.FindingKinds());
    }

    [Fact]
    public void A_stale_field_outside_guest_mode_is_not_consumed()
    {
        Vm.TryResolve(BarGfn, out var pfn, out _);
        _field.Load(BarGfn, pfn);

        Machine.Mm.ZapRange(Block.Bar.Start, 1);

        Assert.Null(_vcpu.FindStaleHardwareField());
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void An_invalidation_kicks_a_vcpu_whose_field_came_from_the_pfn_cache()
    {
        var cache = RefreshedCache(BarGfn);
        cache.LoadInto(_field, VcpuRequests.NestedStatePagesReload);
        _vcpu.EnterGuest();

        Machine.Mm.ZapRange(Block.Bar.Start, 1);

        Assert.Equal(VcpuMode.OutsideGuest, _vcpu.Mode);
        Assert.Equal(VcpuRequests.NestedStatePagesReload, _vcpu.PendingRequests);
    }

    [Fact]
    public void The_next_entry_reloads_the_field_with_the_frame_the_host_maps_now()
    {
        var cache = RefreshedCache(RamGfn);
        cache.LoadInto(_field, VcpuRequests.ApicPageReload);
        var before = _field.Pfn;
        _vcpu.EnterGuest();

        Machine.Mm.ZapRange(Guest.Ram.Start.AddPages(RamGfn.Value), 1);
        var reused = Machine.Memory.Allocate(); // the host hands the freed frame to someone else

        Assert.True(_vcpu.RunInGuest());
        Assert.Equal(before, reused);
        Assert.NotEqual(before, _field.Pfn);
        Assert.True(Vm.MapsCurrently(RamGfn, _field.Pfn));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void A_field_whose_page_is_gone_gets_INVALID_GPA_and_the_entry_fails()
    {
        var cache = RefreshedCache(BarGfn);
        cache.LoadInto(_field, VcpuRequests.NestedStatePagesReload);
        _vcpu.EnterGuest();

        Machine.Mm.ZapRange(Block.Bar.Start, 1);

        Assert.False(_vcpu.RunInGuest());
        Assert.False(_field.IsLoaded);
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Loading_from_a_pfn_cache_needs_a_reload_request()
    {
        var cache = RefreshedCache(BarGfn);

        var error = Assert.Throws<ArgumentException>(() => cache.LoadInto(_field, VcpuRequests.None));
        Assert.Contains("reload request", error.Message);
    }

    [Fact]
    public void An_invalid_cache_loads_nothing()
    {
        var cache = new PfnCache(Vm, BarGfn, "cache");

        Assert.False(cache.LoadInto(_field, VcpuRequests.NestedStatePagesReload));
        Assert.False(_field.IsLoaded);
    }

    [Fact]
    public void A_frame_used_after_its_cache_was_invalidated_is_a_stale_cache_use()
    {
        var cache = RefreshedCache(BarGfn);
        cache.TryGetPfn(out var pfn);

        Machine.Mm.ZapRange(Block.Bar.Start, 1);
        cache.Access(pfn);

        Assert.Equal(new[] { FindingKind.StaleCacheUse }, Machine.FindingKinds());
    }

    [Fact]
    public void A_use_checked_under_the_cache_lock_is_clean()
    {
        var cache = RefreshedCache(BarGfn);

        Assert.True(cache.TryAccess());
        Assert.Empty(Machine.Findings);
    }

    private PfnCache RefreshedCache(Gfn gfn)
    {
        var cache = new PfnCache(Vm, gfn, "cache of " + gfn);
        Assert.True(cache.Refresh());
        return cache;
    }
}
