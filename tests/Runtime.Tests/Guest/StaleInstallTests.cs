using MmuGuard.Guest;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

/// <summary>A stage-2 install of a frame that is already free: what a missing invalidation-sequence retry leads to.</summary>
public sealed class StaleInstallTests : DriverBarTestBase
{
    [Fact]
    public void Installing_a_pfn_the_driver_freed_after_it_was_resolved_is_reported()
    {
        Machine.Mm.TryFollowPte(Block.Bar.Start.AddPages(2), out var pfn);
        Block.TearDown(Machine.Mm);

        Vm.Stage2.Install(Block.GfnOf(2), pfn);

        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.StaleInstall, finding.Kind);
        Assert.Equal(pfn, finding.Pfn);
    }

    [Fact]
    public void The_fault_path_retries_instead_of_installing_the_stale_pfn()
    {
        Vm.BeforeInstall = _ => Block.TearDown(Machine.Mm);

        Assert.Equal(FaultResult.Retry, Vm.HandleFault(Block.GfnOf(2)));
        Assert.Empty(Machine.Findings);
    }
}
