using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Generators.Tests.Infrastructure;

/// <summary>
/// The guest memory the execution tests map from: refcounted frames, a non-refcounted driver page, a sanitizer, and a
/// way to run an MMU-notifier invalidation over a frame.
/// </summary>
internal sealed class TestGuest
{
    private readonly ScriptedGuestMemory _memory = new();

    public TestGuest()
    {
        NonRefcountedGfn = _memory.Back(0x900, 0x9_0000, refcounted: false);
    }

    public IPinnedPageSource Pinned => _memory;

    public ICoveredPageSource Covered => _memory;

    public MmuSanitizer Sanitizer => _memory.Sanitizer!;

    /// <summary>A guest frame backed by a driver's non-refcounted page: must be refused for a pin, fine when covered.</summary>
    public Gfn NonRefcountedGfn { get; }

    /// <summary>The <paramref name="index"/>-th distinct guest frame backed by an ordinary refcounted page.</summary>
    public Gfn RefcountedGfn(int index) => _memory.Back(0x100 + (ulong)index, 0x1_0000 + (ulong)index);

    public Pfn FrameOf(Gfn gfn) => _memory.FrameOf(gfn);

    /// <summary>How many pins are held on the page behind <paramref name="gfn"/>.</summary>
    public int PinsOn(Gfn gfn) => _memory.PinsOn(gfn);

    /// <summary>The host changes the mapping behind <paramref name="gfn"/>: MMU notifiers invalidate it.</summary>
    public void InvalidateHostMapping(Gfn gfn) => _memory.Invalidate(gfn);
}
