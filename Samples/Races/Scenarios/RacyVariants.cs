using System;
using MmuGuard.Concurrency;
using MmuGuard.Guest;

namespace MmuGuard.Samples.Races.Scenarios;

/// <summary>
/// BuggySim's racy variants: each is a correct scenario with one concurrency mistake, and exploration must find a
/// schedule that breaks an invariant.
/// </summary>
internal static class RacyVariants
{
    private const string Vcpu = "vcpu0";
    private const int FaultAttempts = 4;

    /// <summary>The hand-written fault handler done right: the control the three racy handlers are measured against.</summary>
    public static RaceScenario HandWrittenFault { get; } = Fault(
        "hand-written-fault", "a sim's own follow-pte fault handler in KVM's order", RacyFaultHandlers.Correct, racy: false);

    /// <summary>No snapshot before the resolve.</summary>
    public static RaceScenario NoSnapshot { get; } = Fault(
        "racy-no-snapshot", "the sequence snapshot taken after the resolve", RacyFaultHandlers.SnapshotAfterResolve, racy: true);

    /// <summary>The retry checked outside <c>mmu_lock</c>.</summary>
    public static RaceScenario RetryOutsideLock { get; } = Fault(
        "racy-retry-outside-lock", "the retry check made before mmu_lock is taken", RacyFaultHandlers.RetryCheckedOutsideLock, racy: true);

    /// <summary>The install made on the retry edge.</summary>
    public static RaceScenario InstallOnRetryEdge { get; } = Fault(
        "racy-install-on-retry-edge", "the install made before the retry decision, so a retry leaves it behind", RacyFaultHandlers.InstallsOnRetryEdge, racy: true);

    /// <summary>The posted-interrupt descriptor written into vmcs02 raw, with no reload request.</summary>
    public static RaceScenario HardwareFieldWithoutReload { get; } = new(
        "racy-hardware-field-without-reload",
        "nested entry with vmcs02's descriptor copied from the PFN cache with no reload request ∥ GPU buffer teardown",
        IsRacy: true,
        new[]
        {
            new RaceOperation(Vcpu, world =>
            {
                if (world.Cache.Refresh() && world.Cache.TryGetPfn(out var pfn))
                {
                    world.PostedInterruptDescriptor.Load(RaceWorld.BarGfn, pfn);
                }

                CorrectScenarios.RunNestedGuest(world.Vcpu);
            }),
            HostInvalidations.TearDownGpuBuffer,
        });

    /// <summary>The PFN cache checked under its lock, then used after the lock was dropped.</summary>
    public static RaceScenario GpcUsedAfterUnlock { get; } = new(
        "racy-gpc-used-after-unlock",
        "PfnCache checked under its lock, the frame used after the lock was dropped ∥ GPU buffer teardown",
        IsRacy: true,
        new[]
        {
            new RaceOperation(Vcpu, world =>
            {
                if (world.Cache.Refresh() && world.Cache.TryGetPfn(out var pfn))
                {
                    world.Vm.Preempt(PreemptionPoint.GpcAfterCheck);
                    world.Cache.Access(pfn);
                }
            }),
            HostInvalidations.TearDownGpuBuffer,
        });

    private static RaceScenario Fault(string name, string what, Func<Vm, Gfn, FaultResult> handler, bool racy) => new(
        name,
        what + " ∥ GPU buffer teardown",
        racy,
        new[]
        {
            new RaceOperation(Vcpu, world =>
            {
                for (var attempt = 0; attempt < FaultAttempts && handler(world.Vm, RaceWorld.BarGfn) == FaultResult.Retry; attempt++)
                {
                }
            }),
            HostInvalidations.TearDownGpuBuffer,
        });
}
