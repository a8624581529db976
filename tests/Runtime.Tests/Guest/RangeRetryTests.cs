using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

/// <summary>mmu_invalidate_retry_gfn: an invalidation in progress forces a retry only for a frame inside its range.</summary>
public sealed class RangeRetryTests : GuestTestBase
{
    [Fact]
    public void An_invalidation_in_progress_over_another_frame_does_not_force_a_retry()
    {
        Vm.BeforeInstall = _ => Machine.Mm.Notifiers.InvalidateRangeStart(HostRange.OfPages(Guest.Ram.Start.AddPages(9), 1));

        Assert.Equal(FaultResult.Installed, Vm.HandleFault(new Gfn(3)));

        Machine.Mm.Notifiers.InvalidateRangeEnd(HostRange.OfPages(Guest.Ram.Start.AddPages(9), 1));
    }

    [Fact]
    public void An_invalidation_in_progress_over_the_frame_forces_a_retry()
    {
        var range = HostRange.OfPages(Guest.Ram.Start.AddPages(3), 1);
        Vm.BeforeInstall = _ => Machine.Mm.Notifiers.InvalidateRangeStart(range);

        Assert.Equal(FaultResult.Retry, Vm.HandleFault(new Gfn(3)));

        Machine.Mm.Notifiers.InvalidateRangeEnd(range);
    }

    [Fact]
    public void Before_6_13_any_invalidation_in_progress_forces_a_retry()
    {
        var machine = new TestMachine(pages: 256);
        var guest = machine.CreateGuest(ramPages: 16, KvmPolicy.Fix2021);
        var elsewhere = HostRange.OfPages(guest.Ram.Start.AddPages(9), 1);
        guest.Vm.BeforeInstall = _ => machine.Mm.Notifiers.InvalidateRangeStart(elsewhere);

        Assert.Equal(FaultResult.Retry, guest.Vm.HandleFault(new Gfn(3)));

        machine.Mm.Notifiers.InvalidateRangeEnd(elsewhere);
    }

    [Fact]
    public void An_invalidation_no_memslot_overlaps_does_not_count()
    {
        var other = Machine.Mm.Mmap(1, VmaFlags.Normal, "qemu heap");
        var before = Vm.Invalidations.Value;

        Machine.Mm.ZapRange(other.Start, 1);

        Assert.Equal(before, Vm.Invalidations.Value);
        Assert.Equal(0, Vm.Invalidations.InProgress);
    }

    [Fact]
    public void An_invalidation_a_memslot_overlaps_bumps_the_sequence()
    {
        var before = Vm.Invalidations.Value;

        Machine.Mm.ZapRange(Guest.Ram.Start, 1);

        Assert.Equal(before + 1, Vm.Invalidations.Value);
    }
}
