using System;
using System.Collections.Generic;
using MmuGuard.Host;

namespace MmuGuard.Guest;

/// <summary>A memslot: a run of guest frames backed by a run of host virtual pages (<c>struct kvm_memory_slot</c>).</summary>
public sealed class Memslot
{
    // One bit per guest frame while dirty logging is on (the slot's dirty_bitmap); null otherwise.
    private ulong[]? _dirtyBitmap;

    internal Memslot(int id, Gfn baseGfn, ulong pageCount, HostVirtualAddress userspaceAddress, MemslotFlags flags)
    {
        Id = id;
        BaseGfn = baseGfn;
        PageCount = pageCount;
        UserspaceAddress = userspaceAddress;
        IsReadOnly = (flags & MemslotFlags.ReadOnly) != 0;
        if ((flags & MemslotFlags.LogDirtyPages) != 0)
        {
            SetDirtyLogging(true);
        }
    }

    /// <summary>Whether the guest may only read the slot (<c>KVM_MEM_READONLY</c>).</summary>
    public bool IsReadOnly { get; }

    /// <summary>Whether guest writes are recorded in the slot's dirty bitmap (<c>KVM_MEM_LOG_DIRTY_PAGES</c>).</summary>
    public bool IsDirtyLogging => _dirtyBitmap is not null;

    /// <summary>The slot's flags as userspace set them.</summary>
    public MemslotFlags Flags =>
        (IsReadOnly ? MemslotFlags.ReadOnly : MemslotFlags.None) | (IsDirtyLogging ? MemslotFlags.LogDirtyPages : MemslotFlags.None);

    /// <summary>Whether <paramref name="gfn"/> was written since the dirty log was last read; <see langword="false"/> outside the slot or without dirty logging.</summary>
    public bool IsDirty(Gfn gfn)
    {
        if (_dirtyBitmap is null || !Contains(gfn))
        {
            return false;
        }

        var bit = gfn.Value - BaseGfn.Value;
        return (_dirtyBitmap[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
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

    internal void SetDirtyLogging(bool enabled) => _dirtyBitmap = enabled ? _dirtyBitmap ?? new ulong[(PageCount + 63) / 64] : null;

    // mark_page_dirty_in_slot: a no-op unless dirty logging is on.
    internal void MarkDirty(Gfn gfn)
    {
        if (_dirtyBitmap is not null && Contains(gfn))
        {
            var bit = gfn.Value - BaseGfn.Value;
            _dirtyBitmap[bit >> 6] |= 1UL << (int)(bit & 63);
        }
    }

    // Collects and clears the dirty bits (KVM_GET_DIRTY_LOG without manual protection).
    internal void TakeDirtyLog(List<Gfn> dirty)
    {
        if (_dirtyBitmap is null)
        {
            return;
        }

        for (var word = 0; word < _dirtyBitmap.Length; word++)
        {
            var bits = _dirtyBitmap[word];
            _dirtyBitmap[word] = 0;
            while (bits != 0)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(bits);
                dirty.Add(BaseGfn.Add(((ulong)word << 6) + (ulong)bit));
                bits &= bits - 1;
            }
        }
    }

    internal bool Overlaps(Gfn baseGfn, ulong pageCount) =>
        baseGfn.Value < BaseGfn.Value + PageCount && BaseGfn.Value < baseGfn.Value + pageCount;
}
