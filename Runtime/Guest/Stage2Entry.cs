using MmuGuard.Physical;

namespace MmuGuard.Guest;

/// <summary>One stage-2 (EPT/NPT) entry: a guest frame and the host frame it maps, with no pin held.</summary>
/// <param name="Gfn">The guest frame.</param>
/// <param name="Pfn">The host frame.</param>
public readonly record struct Stage2Entry(Gfn Gfn, Pfn Pfn);
