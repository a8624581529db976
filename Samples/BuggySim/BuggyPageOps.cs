using MmuGuard.Samples.World;

namespace MmuGuard.Samples.BuggySim;

/// <summary>Pin and unpin bookkeeping gone wrong around guest pages.</summary>
internal static class BuggyPageOps
{
    /// <summary>Bug class 5: a guest page is pinned, used, and never released; VM teardown finds the pin.</summary>
    public static void LeaksAPin(BuggyWorld world)
    {
        if (!world.Vm.TryPinGuestPage(BuggyWorld.GuestRamGfn, out var pfn, out _))
        {
            return;
        }

        world.Memory.MarkAccessed(pfn);
        world.Vm.Destroy();
    } // expect: MMU0005

    /// <summary>Bug class 6: the out-of-band map is unmapped, then written through.</summary>
    public static void WritesAfterUnmap(BuggyWorld world)
    {
        if (!world.Vm.TryMapOutOfBand(BuggyWorld.GuestRamGfn, "vmcs12", out var map, out _))
        {
            return;
        }

        map.Unmap();
        map.MarkDirty(); // expect: MMU0006
    }

    /// <summary>Bug class 7: the error path releases a pin the success path already released.</summary>
    public static void ReleasesTwice(BuggyWorld world)
    {
        if (!world.Vm.TryPinGuestPage(BuggyWorld.GuestRamGfn, out var pfn, out _))
        {
            return;
        }

        world.Vm.ReleaseGuestPage(pfn);
        world.Vm.ReleaseGuestPage(pfn); // expect: MMU0007
    }

    /// <summary>Bug class 8: the GPU page is marked dirty through its follow-pte PFN, with no reference held.</summary>
    public static void MarksDirtyWithoutReference(BuggyWorld world)
    {
        var pfn = world.Mm.FollowPte(world.Buffer.UserAddress);
        world.Memory.MarkDirty(pfn); // expect: MMU0008
    }
}
