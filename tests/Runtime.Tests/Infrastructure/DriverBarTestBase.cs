namespace MmuGuard.Runtime.Tests.Infrastructure;

/// <summary>Guest tests that also need a driver's order-2 non-compound block exposed through a PfnMap BAR.</summary>
public abstract class DriverBarTestBase : GuestTestBase
{
    protected DriverBarTestBase()
    {
        Block = ExposeDriverBlock();
    }

    protected DriverBlock Block { get; }
}
