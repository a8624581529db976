using MmuGuard.Physical;

namespace MmuGuard.Guest;

/// <summary>One stage-2 (EPT/NPT) entry: a guest frame, the host frame it maps and its write permission, with no pin held.</summary>
/// <param name="Gfn">The guest frame.</param>
/// <param name="Pfn">The host frame.</param>
/// <param name="Writable">Whether the entry lets the guest write.</param>
public readonly record struct Stage2Entry(Gfn Gfn, Pfn Pfn, bool Writable = true);
