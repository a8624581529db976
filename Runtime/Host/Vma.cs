using MmuGuard.Physical;

namespace MmuGuard.Host;

/// <summary>A virtual memory area: a page-aligned range of an address space with flags, and its host page-table entries.</summary>
public sealed class Vma
{
    // Host page table for this VMA: entry i holds pfn + 1 for page i (0 when nothing is mapped), with the PTE's write
    // and special bits in the top bits; frame numbers never reach them.
    private const ulong WriteBit = 1UL << 63;
    private const ulong SpecialBit = 1UL << 62;
    private const ulong FrameMask = SpecialBit - 1;

    private readonly ulong[] _entries;

    internal Vma(string name, HostVirtualAddress start, ulong pageCount, VmaFlags flags)
    {
        Name = name;
        Start = start;
        PageCount = pageCount;
        Flags = flags;
        _entries = new ulong[pageCount];
    }

    /// <summary>What the VMA is, as messages name it.</summary>
    public string Name { get; }

    /// <summary>The first address.</summary>
    public HostVirtualAddress Start { get; }

    /// <summary>The number of pages.</summary>
    public ulong PageCount { get; }

    /// <summary>How its frames are resolved.</summary>
    public VmaFlags Flags { get; }

    /// <summary>One past the last address.</summary>
    public HostVirtualAddress End => Start.AddPages(PageCount);

    /// <summary>The addresses the VMA covers.</summary>
    public HostRange Range => new(Start, End);

    /// <summary>Whether GUP refuses the VMA outright (<c>VM_PFNMAP</c> or <c>VM_IO</c>).</summary>
    public bool RefusesGetUserPages => (Flags & (VmaFlags.PfnMap | VmaFlags.Io)) != 0;

    /// <summary>Whether a driver may insert raw PFNs (<c>VM_PFNMAP</c> or <c>VM_MIXEDMAP</c>).</summary>
    public bool AcceptsRawPfns => (Flags & (VmaFlags.PfnMap | VmaFlags.MixedMap)) != 0;

    /// <summary>Whether the VMA is anonymous memory, filled on demand with pages its page table holds references on.</summary>
    public bool IsAnonymous => (Flags & (VmaFlags.PfnMap | VmaFlags.Io | VmaFlags.MixedMap)) == 0;

    /// <summary>Whether userspace may write the VMA (<c>VM_WRITE</c>).</summary>
    public bool IsWritable => (Flags & VmaFlags.ReadOnly) == 0;

    /// <summary>Whether <paramref name="address"/> lies in the VMA.</summary>
    public bool Contains(HostVirtualAddress address) => Range.Contains(address);

    /// <summary>Formats as <c>name [hva .., hva ..) PfnMap</c>.</summary>
    public override string ToString() => Name + " " + Range + " " + Flags;

    internal bool TryGetEntry(HostVirtualAddress address, out Pfn pfn) => TryGetEntry(address, out pfn, out _, out _);

    internal bool TryGetEntry(HostVirtualAddress address, out Pfn pfn, out bool writable, out bool special)
    {
        var entry = _entries[address.PageNumber - Start.PageNumber];
        pfn = entry == 0 ? default : new Pfn((entry & FrameMask) - 1);
        writable = (entry & WriteBit) != 0;
        special = (entry & SpecialBit) != 0;
        return entry != 0;
    }

    // A PTE is writable only where the VMA is (a driver's pgprot comes from vm_page_prot).
    internal void SetEntry(HostVirtualAddress address, [MayBeNonRefcounted] Pfn pfn, bool writable, bool special) =>
        _entries[address.PageNumber - Start.PageNumber] =
            (pfn.Value + 1) | (writable && IsWritable ? WriteBit : 0) | (special ? SpecialBit : 0);

    // An anonymous page's entry owns the page's reference until the entry is zapped (AddressSpace.ZapRange drops it).
    // The table is an array the flow analysis cannot see as an owning member, so the handover is stated here.
#pragma warning disable MMU0005
    internal void AdoptEntry(HostVirtualAddress address, [TakesPinOwnership] Pfn pfn) => SetEntry(address, pfn, writable: true, special: false);
#pragma warning restore MMU0005

    internal bool TryClearEntry(ulong pageIndex, out Pfn pfn)
    {
        var entry = _entries[pageIndex];
        _entries[pageIndex] = 0;
        pfn = entry == 0 ? default : new Pfn((entry & FrameMask) - 1);
        return entry != 0;
    }
}
