using MmuGuard.Guest;

namespace MmuGuard.Runtime.Tests.Infrastructure;

/// <summary>Tests that start from a host of 1024 frames and a VM whose RAM is 16 anonymous pages from gfn 0.</summary>
public abstract class GuestTestBase
{
    /// <summary>Where a test's driver BAR appears in the guest.</summary>
    protected static readonly Gfn BarGfn = new(0x100);

    protected GuestTestBase()
    {
        Machine = new TestMachine(pages: 1024);
        Guest = Machine.CreateGuest(ramPages: 16);
    }

    protected TestMachine Machine { get; }

    protected GuestWithRam Guest { get; }

    protected Vm Vm => Guest.Vm;

    /// <summary>A driver's non-compound block of 2^<paramref name="order"/> frames, exposed at <see cref="BarGfn"/>.</summary>
    protected DriverBlock ExposeDriverBlock(int order = 2) => Machine.ExposeDriverBlock(Vm, BarGfn, order);
}
