using MmuGuard.Samples.World;

namespace MmuGuard.Samples.BuggySim;

/// <summary>A nested entry that hands pages to hardware the wrong ways.</summary>
internal static class BuggyNestedEntry
{
    /// <summary>
    /// Bug class 2: the APIC-access address gets the follow-pte PFN of the GPU page, unpinned. Notifiers cannot
    /// reach the vmcs02 field, so when the driver frees its buffer, hardware still points at the freed frame.
    /// </summary>
    public static void WritesBorrowedPfnToHardware(BuggyWorld world)
    {
        var pfn = world.Mm.FollowPte(world.Buffer.UserAddress);
        world.Hardware.WriteApicAccessAddress(pfn); // expect: MMU0001
        world.Buffer.TearDown();
    }

    /// <summary>
    /// Bug class 3: the pin for the APIC-access page is asked for, and whether it was refused is never looked at;
    /// the code carries on as if the page were pinned: on the refused path the write to hardware hands it a frame
    /// nobody pinned (here the default PFN 0, the driver's block head). One mistake, reported once where it is made
    /// (MMU0003), not again at the write.
    /// </summary>
    public static void IgnoresTheRefusal(BuggyWorld world)
    {
        world.Vm.TryPinGuestPage(BuggyWorld.GpuBarGfn, out var pfn, out _); // expect: MMU0003
        world.Hardware.WriteApicAccessAddress(pfn);
        world.Buffer.TearDown();
    }
}
