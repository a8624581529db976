using MmuGuard.Concurrency;
using MmuGuard.Guest;
using MmuGuard.Physical;

namespace MmuGuard.Samples.Races.Scenarios;

/// <summary>
/// A downstream sim's own stage-2 fault handler for the GPU page (follow-pte, no reference), written right once and
/// wrong three ways. Each marks its own steps as preemption points, as a sim's racing scenario should.
/// </summary>
internal static class RacyFaultHandlers
{
    /// <summary>KVM's order: snapshot, resolve, then check and install under <c>mmu_lock</c>.</summary>
    public static FaultResult Correct(Vm vm, Gfn gfn)
    {
        if (!SnapshotThenResolve(vm, gfn, out var snapshot, out var pfn))
        {
            return FaultResult.NotPresent;
        }

        vm.Preempt(PreemptionPoint.AfterResolve);
        using (vm.HoldMmuLock())
        {
            if (vm.MustRetry(snapshot, gfn))
            {
                return FaultResult.Retry;
            }

            vm.Preempt(PreemptionPoint.UnderMmuLock);
            vm.Stage2.Install(gfn, pfn);
            return FaultResult.Installed;
        }
    }

    /// <summary>Racy: the snapshot is taken after the resolve, so an invalidation that ran in between goes unseen.</summary>
    public static FaultResult SnapshotAfterResolve(Vm vm, Gfn gfn)
    {
        if (!vm.TryResolve(gfn, out var pfn, out _))
        {
            return FaultResult.NotPresent;
        }

        vm.Preempt(PreemptionPoint.AfterResolve);
        var snapshot = vm.SnapshotSequence();
        using (vm.HoldMmuLock())
        {
            if (vm.MustRetry(snapshot, gfn))
            {
                return FaultResult.Retry;
            }

            vm.Stage2.Install(gfn, pfn);
            return FaultResult.Installed;
        }
    }

    /// <summary>Racy: the retry check runs before <c>mmu_lock</c> is taken; an invalidation can complete between them.</summary>
    public static FaultResult RetryCheckedOutsideLock(Vm vm, Gfn gfn)
    {
        if (!SnapshotThenResolve(vm, gfn, out var snapshot, out var pfn))
        {
            return FaultResult.NotPresent;
        }

        if (vm.MustRetry(snapshot, gfn))
        {
            return FaultResult.Retry;
        }

        vm.Preempt(PreemptionPoint.AfterResolve);
        using (vm.HoldMmuLock())
        {
            vm.Stage2.Install(gfn, pfn);
            return FaultResult.Installed;
        }
    }

    /// <summary>Racy: the install happens before the retry decision, so the retry edge leaves the stale entry behind.</summary>
    public static FaultResult InstallsOnRetryEdge(Vm vm, Gfn gfn)
    {
        if (!SnapshotThenResolve(vm, gfn, out var snapshot, out var pfn))
        {
            return FaultResult.NotPresent;
        }

        vm.Preempt(PreemptionPoint.AfterResolve);
        using (vm.HoldMmuLock())
        {
            var retry = vm.MustRetry(snapshot, gfn);
            vm.Preempt(PreemptionPoint.UnderMmuLock);
            vm.Stage2.Install(gfn, pfn);
            return retry ? FaultResult.Retry : FaultResult.Installed;
        }
    }

    // The prologue KVM's order starts with: snapshot the sequence, then resolve (follow-pte, no reference).
    private static bool SnapshotThenResolve(Vm vm, Gfn gfn, out ulong snapshot, [Borrowed, MayBeNonRefcounted] out Pfn pfn)
    {
        snapshot = vm.SnapshotSequence();
        vm.Preempt(PreemptionPoint.AfterSequenceSnapshot);
        return vm.TryResolve(gfn, out pfn, out _);
    }
}
