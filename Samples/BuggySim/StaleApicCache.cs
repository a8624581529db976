using MmuGuard.Physical;
using MmuGuard.Samples.World;

namespace MmuGuard.Samples.BuggySim;

/// <summary>
/// Bug class 9: a home-made "cache" of the GPU page's PFN in a plain field. No notifier hook clears it, so after the
/// driver frees the buffer it still names the frame, and the next user marks a page that is no longer the driver's.
/// </summary>
internal sealed class StaleApicCache
{
    private Pfn _cachedPfn;

    public void Fill(BuggyWorld world) =>
        _cachedPfn = world.Mm.FollowPte(world.Buffer.UserAddress); // expect: MMU0009

    public static void UsesAfterDriverTeardown(BuggyWorld world)
    {
        var cache = new StaleApicCache();
        cache.Fill(world);
        world.Buffer.TearDown();
        world.Memory.MarkAccessed(cache._cachedPfn);
    }
}
