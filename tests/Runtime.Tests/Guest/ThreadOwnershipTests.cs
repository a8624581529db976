using System;
using System.Threading;
using MmuGuard.Guest;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

/// <summary>A Vm is single-threaded: a call from another thread fails with a message naming both threads.</summary>
public sealed class ThreadOwnershipTests : GuestTestBase
{
    [Fact]
    public void A_fault_from_another_thread_throws_naming_the_owner_and_the_caller()
    {
        Exception? caught = null;
        var other = new Thread(() => caught = Record(() => Vm.HandleFault(new Gfn(1)))) { Name = "intruder" };

        other.Start();
        other.Join();

        var error = Assert.IsType<InvalidOperationException>(caught);
        Assert.Contains($"thread {Environment.CurrentManagedThreadId}", error.Message);
        Assert.Contains($"thread {other.ManagedThreadId} ('intruder')", error.Message);
    }

    [Fact]
    public void A_cross_thread_call_changes_nothing()
    {
        var other = new Thread(() => Record(() => Vm.HandleFault(new Gfn(1))));

        other.Start();
        other.Join();

        Assert.Equal(0, Vm.Stage2.Count);
    }

    [Fact]
    public void A_host_unmap_from_another_thread_is_caught_at_the_vms_notifier()
    {
        Exception? caught = null;
        var other = new Thread(() => caught = Record(() => Machine.Mm.ZapRange(Guest.Ram.Start, 1)));

        other.Start();
        other.Join();

        Assert.IsType<InvalidOperationException>(caught);
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
