namespace MmuGuard.Physical;

/// <summary>
/// Names one kind of mapping that points at frames (a host page table, a VM's stage-2 table, out-of-band maps, PFN
/// caches), so a frame freed while mapped can be blamed on the mapping that still reaches it.
/// </summary>
/// <param name="Value">The index <see cref="PhysicalMemory.RegisterMapper"/> handed out.</param>
public readonly record struct MapperId(int Value);
