using MmuGuard.Physical;

namespace MmuGuard.Samples.BuggySim;

/// <summary>
/// Annotation misuse (MMU0010): a result cannot be both pinned (the caller owns a reference) and borrowed (no
/// reference at all), so every caller's analysis would be meaningless. Only the analyzers see this; nothing runs it.
/// </summary>
internal static class ContradictoryApi
{
    [return: Pinned, Borrowed] // expect: MMU0010
    public static Pfn LookUp(Pfn pfn) => pfn;
}
