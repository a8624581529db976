using System;
using System.Threading;
using MmuGuard.Concurrency;
using MmuGuard.Guest;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Concurrency;

/// <summary>The Runtime reports each step where the kernel can race to an attached scheduler, in KVM's order.</summary>
public sealed class PreemptionPointTests : DriverBarTestBase
{
    private readonly RecordingScheduler _scheduler = new();

    public PreemptionPointTests() => Vm.Scheduler = _scheduler;

    [Fact]
    public void A_guest_ram_fault_reports_snapshot_resolve_lock_and_reference_drop_in_order()
    {
        Vm.HandleFault(new Gfn(1), write: true);

        Assert.Equal(
            new[] { PreemptionPoint.AfterSequenceSnapshot, PreemptionPoint.AfterResolve, PreemptionPoint.UnderMmuLock, PreemptionPoint.BeforeReferenceDrop },
            _scheduler.Points);
    }

    [Fact]
    public void A_host_invalidation_reports_begin_zap_and_end_in_order()
    {
        Machine.Mm.ZapRange(Guest.Ram.Start, 1);

        Assert.Equal(
            new[] { PreemptionPoint.AfterInvalidateBegin, PreemptionPoint.AfterZap, PreemptionPoint.BeforeInvalidateEnd },
            _scheduler.Points);
    }

    [Fact]
    public void A_pfn_cache_refresh_reports_the_window_between_its_resolve_and_its_lock()
    {
        var cache = new PfnCache(Vm, BarGfn, "cache");

        cache.Refresh();

        Assert.Equal(new[] { PreemptionPoint.GpcBetweenResolveAndLock }, _scheduler.Points);
    }

    [Fact]
    public void Removing_a_memslot_reports_the_memslot_update_while_its_invalidation_is_in_progress()
    {
        Vm.RemoveMemslot(Vm.Memslots[1]);

        Assert.Equal(new[] { PreemptionPoint.DuringMemslotUpdate }, _scheduler.Points);
    }

    [Fact]
    public void With_a_scheduler_attached_another_thread_may_run_the_vm()
    {
        Exception? caught = null;
        var other = new Thread(() =>
        {
            try
            {
                Vm.HandleFault(new Gfn(1));
            }
            catch (Exception e)
            {
                caught = e;
            }
        });

        other.Start();
        other.Join();

        Assert.Null(caught);
        Assert.Equal(1, Vm.Stage2.Count);
    }

    [Fact]
    public void The_mmu_lock_is_reentrant_for_its_holder()
    {
        using (Vm.HoldMmuLock())
        {
            Assert.Equal(FaultResult.Installed, Vm.HandleFault(new Gfn(1)));
        }
    }
}
