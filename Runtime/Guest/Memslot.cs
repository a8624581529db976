using System;
using MmuGuard.Host;

namespace MmuGuard.Guest;

/// <summary>A memslot: a run of guest frames backed by a run of host virtual pages (<c>struct kvm_memory_slot</c>).</summary>
public sealed class Memslot
{
    internal Memslot(int id, Gfn baseGfn, ulong pageCount, HostVirtualAddress userspaceAddress)
    {
        Id = id;
        BaseGfn = baseGfn;
        PageCount = pageCount;
        UserspaceAddress = userspaceAddress;
    }

    /// <summary>The slot number.</summary>
    public int Id { get; }

    /// <summary>The first guest frame.</summary>
    public Gfn BaseGfn { get; }

    /// <summary>The number of guest frames.</summary>
    public ulong PageCount { get; }

    /// <summary>The host address backing <see cref="BaseGfn"/>.</summary>
    public HostVirtualAddress UserspaceAddress { get; }

    /// <summary>The host addresses backing the slot.</summary>
    public HostRange HostRange => HostRange.OfPages(UserspaceAddress, PageCount);

    /// <summary>Whether <paramref name="gfn"/> lies in the slot.</summary>
    public bool Contains(Gfn gfn) => gfn.Value >= BaseGfn.Value && gfn.Value - BaseGfn.Value < PageCount;

    /// <summary>The host address backing <paramref name="gfn"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The frame is outside the slot.</exception>
    public HostVirtualAddress HostAddressOf(Gfn gfn) =>
        Contains(gfn)
            ? UserspaceAddress.AddPages(gfn.Value - BaseGfn.Value)
            : throw new ArgumentOutOfRangeException(nameof(gfn), gfn, $"{gfn} is outside memslot {Id} ({BaseGfn} + {PageCount} frames).");

    /// <summary>Formats as <c>memslot 1: gfn 0x.. + n -> hva 0x..</c>.</summary>
    public override string ToString() => $"memslot {Id}: {BaseGfn} + {PageCount} -> {UserspaceAddress}";

    // The guest frames whose backing pages fall in the host range, as [first, first + count).
    internal bool TryGetGfnRange(HostRange range, out Gfn first, out ulong count)
    {
        var start = Math.Max(range.FirstPage, UserspaceAddress.PageNumber);
        var end = Math.Min(range.EndPage, UserspaceAddress.PageNumber + PageCount);
        if (start >= end)
        {
            first = default;
            count = 0;
            return false;
        }

        first = BaseGfn.Add(start - UserspaceAddress.PageNumber);
        count = end - start;
        return true;
    }

    internal bool Overlaps(Gfn baseGfn, ulong pageCount) =>
        baseGfn.Value < BaseGfn.Value + PageCount && BaseGfn.Value < baseGfn.Value + pageCount;
}
