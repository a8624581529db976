using MmuGuard.Samples.World;

namespace MmuGuard.Samples.BuggySim;

/// <summary>A hand-written stage-2 fault handler that gets KVM's rules wrong.</summary>
internal static class BuggyFaultHandler
{
    /// <summary>
    /// Bug class 1, CVE-2021-22543: the handler pins the follow-pte PFN "to be safe". The GPU page's count goes
    /// 0 -> 1, and the matching unpin frees it to the allocator while the driver still owns it.
    /// </summary>
    public static void PinsFollowPtePage(BuggyWorld world)
    {
        var pfn = world.Mm.FollowPte(world.Buffer.UserAddress);
        world.Memory.Pin(pfn); // expect: MMU0002
        world.Memory.MarkDirty(pfn);
        world.Memory.Unpin(pfn);
    }

    /// <summary>
    /// Bug class 4: no invalidation-sequence snapshot before the resolve and no retry check after it. The driver
    /// tears the buffer down in between; the notifier has already run, so the stale entry it installs is never zapped.
    /// </summary>
    public static void InstallsWithoutRetryCheck(BuggyWorld world)
    {
        var pfn = world.Mm.FollowPte(world.Buffer.UserAddress);
        world.Buffer.TearDown();
        world.Vm.Stage2.Install(BuggyWorld.GpuBarGfn, pfn); // expect: MMU0004
        world.Vm.Destroy();
    }
}
