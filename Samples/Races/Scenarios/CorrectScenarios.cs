using MmuGuard.Guest;

namespace MmuGuard.Samples.Races.Scenarios;

/// <summary>KVM's correct paths, each racing an invalidation: every interleaving must keep every invariant.</summary>
internal static class CorrectScenarios
{
    private const string Vcpu = "vcpu0";

    /// <summary>Stage-2 faults (GUP on guest RAM, follow-pte on the GPU page) against reclaim and driver teardown.</summary>
    public static RaceScenario FaultVsInvalidation { get; } = new(
        "fault-vs-invalidation",
        "Vm.HandleFault on guest RAM and on the GPU page ∥ reclaim of the RAM page, then GPU buffer teardown",
        IsRacy: false,
        new[]
        {
            new RaceOperation(Vcpu, world =>
            {
                world.Vcpu.Access(RaceWorld.RamGfn, write: true);
                world.Vcpu.Access(RaceWorld.BarGfn);
            }),
            HostInvalidations.ReclaimThenTearDown,
        });

    /// <summary>A PFN-cache refresh and a use under the cache's lock against driver teardown.</summary>
    public static RaceScenario GpcRefreshVsInvalidation { get; } = new(
        "gpc-refresh-vs-invalidation",
        "PfnCache.Refresh, then a use checked and done under the cache's lock ∥ GPU buffer teardown",
        IsRacy: false,
        new[]
        {
            new RaceOperation(Vcpu, world =>
            {
                if (world.Cache.Refresh())
                {
                    world.Cache.TryAccess();
                }
            }),
            HostInvalidations.TearDownGpuBuffer,
        });

    /// <summary>
    /// Nested entry with the posted-interrupt descriptor loaded from the PFN cache with a reload request, guest
    /// execution, exit; against driver teardown, which must kick the vCPU out before the page goes.
    /// </summary>
    public static RaceScenario NestedEntryVsInvalidation { get; } = new(
        "nested-entry-vs-invalidation",
        "nested entry with vmcs02's descriptor from the PFN cache plus a reload request, two guest stretches, exit ∥ GPU buffer teardown",
        IsRacy: false,
        new[]
        {
            new RaceOperation(Vcpu, world =>
            {
                if (world.Cache.Refresh())
                {
                    world.Cache.LoadInto(world.PostedInterruptDescriptor, VcpuRequests.NestedStatePagesReload);
                }

                RunNestedGuest(world.Vcpu);
            }),
            HostInvalidations.TearDownGpuBuffer,
        });

    /// <summary>Enters guest mode, runs two stretches of guest code and exits; a failed entry ends the run.</summary>
    internal static void RunNestedGuest(Vcpu vcpu)
    {
        if (vcpu.EnterGuest() && vcpu.RunInGuest())
        {
            vcpu.RunInGuest();
        }

        vcpu.ExitGuest();
    }
}
