using System;
using MmuGuard.Guest;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Concurrency;

/// <summary>vCPU mode, requests and kicks (<c>kvm_make_request</c>, <c>kvm_vcpu_kick</c>), single-threaded.</summary>
public sealed class VcpuRequestTests : GuestTestBase
{
    private readonly Vcpu _vcpu;

    public VcpuRequestTests() => _vcpu = Vm.CreateVcpu();

    [Fact]
    public void A_kick_takes_a_vcpu_in_guest_mode_out_with_the_request_pending()
    {
        _vcpu.EnterGuest();

        _vcpu.RequestAndKick(VcpuRequests.ApicPageReload);

        Assert.Equal(VcpuMode.OutsideGuest, _vcpu.Mode);
        Assert.Equal(VcpuRequests.ApicPageReload, _vcpu.PendingRequests);
    }

    [Fact]
    public void A_request_to_a_vcpu_outside_guest_mode_is_serviced_at_the_next_entry()
    {
        _vcpu.RequestAndKick(VcpuRequests.TlbFlush);

        Assert.True(_vcpu.EnterGuest());
        Assert.Equal(VcpuMode.InGuest, _vcpu.Mode);
        Assert.Equal(VcpuRequests.None, _vcpu.PendingRequests);
    }

    [Fact]
    public void A_kicked_vcpu_re_enters_when_it_next_runs_guest_code()
    {
        _vcpu.EnterGuest();
        _vcpu.RequestAndKick(VcpuRequests.TlbFlush);

        Assert.True(_vcpu.RunInGuest());
        Assert.Equal(VcpuMode.InGuest, _vcpu.Mode);
        Assert.Equal(VcpuRequests.None, _vcpu.PendingRequests);
    }

    [Fact]
    public void An_invalidation_that_zaps_stage2_flushes_the_tlb_of_a_vcpu_in_guest_mode()
    {
        _vcpu.Access(new Gfn(0), write: true);
        _vcpu.EnterGuest();

        Machine.Mm.ZapRange(Guest.Ram.Start, 1);

        Assert.Equal(VcpuMode.OutsideGuest, _vcpu.Mode);
        Assert.Equal(VcpuRequests.TlbFlush, _vcpu.PendingRequests);
    }

    [Fact]
    public void Entering_guest_mode_twice_is_refused()
    {
        _vcpu.EnterGuest();

        var error = Assert.Throws<InvalidOperationException>(() => _vcpu.EnterGuest());
        Assert.Contains("already in guest mode", error.Message);
    }

    [Fact]
    public void Guest_code_runs_only_after_an_entry()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _vcpu.RunInGuest());
        Assert.Contains("only after EnterGuest", error.Message);
    }
}
