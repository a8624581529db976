namespace MmuGuard.Physical;

/// <summary>A registered run of frames with no page descriptor (MMIO, a carve-out), by its first frame and length.</summary>
/// <param name="First">The first frame.</param>
/// <param name="Count">How many frames.</param>
/// <param name="Name">What the range is, as reports name it.</param>
public readonly record struct DeviceRange(Pfn First, ulong Count, string Name)
{
    /// <summary>Whether <paramref name="pfn"/> lies in the range.</summary>
    public bool Contains(Pfn pfn) => pfn.Value >= First.Value && pfn.Value - First.Value < Count;

    /// <summary>Whether the range shares a frame with [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public bool Overlaps(ulong first, ulong count) => first < First.Value + Count && First.Value < first + count;
}
