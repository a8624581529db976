using System.Collections.Generic;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Guest;

/// <summary>
/// A VM's stage-2 table (EPT/NPT): guest frame to host frame, holding no pins. MMU-notifier coverage keeps it
/// coherent, so it may map pages that are not refcounted.
/// </summary>
public sealed class Stage2Table
{
    // Each value is the host frame with the entry's write permission in the top bit.
    private const ulong WriteBit = 1UL << 63;

    private readonly Dictionary<ulong, ulong> _entries = new();
    private readonly List<ulong> _doomed = new();
    private readonly PhysicalMemory _memory;
    private readonly MapperId _mapper;

    internal Stage2Table(PhysicalMemory memory, MapperId mapper)
    {
        _memory = memory;
        _mapper = mapper;
    }

    /// <summary>The number of installed entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The host frame <paramref name="gfn"/> maps, if any; no pin comes with it.</summary>
    public bool TryLookup(Gfn gfn, [Borrowed, MayBeNonRefcounted] out Pfn pfn) => TryLookup(gfn, out pfn, out _);

    /// <summary>The host frame <paramref name="gfn"/> maps and whether the entry lets the guest write; no pin comes with it.</summary>
    public bool TryLookup(Gfn gfn, [Borrowed, MayBeNonRefcounted] out Pfn pfn, out bool writable)
    {
        var found = _entries.TryGetValue(gfn.Value, out var value);
        pfn = new Pfn(value & ~WriteBit);
        writable = (value & WriteBit) != 0;
        return found;
    }

    /// <summary>Installs or replaces a writable entry for <paramref name="gfn"/>. The caller owns the sequence discipline.</summary>
    public void Install(Gfn gfn, [NotifierCoveredSink] Pfn pfn) => Install(gfn, pfn, writable: true);

    /// <summary>
    /// Installs or replaces the entry for <paramref name="gfn"/>, letting the guest write only when
    /// <paramref name="writable"/> (the stage-2 W bit). The caller owns the sequence discipline.
    /// </summary>
    public void Install(Gfn gfn, [NotifierCoveredSink] Pfn pfn, bool writable)
    {
        if (_memory.Sanitizer is { Enabled: true } sanitizer && _memory.IsFree(pfn))
        {
            sanitizer.Report(FindingKind.StaleInstall, pfn, _memory.MapperName(_mapper), nameof(Install), $"{gfn} now maps a frame the allocator owns: it was freed after it was resolved; check the invalidation sequence under the lock and retry");
        }

        var value = pfn.Value | (writable ? WriteBit : 0);
        if (_entries.TryGetValue(gfn.Value, out var old))
        {
            if (old == value)
            {
                return;
            }

            _entries[gfn.Value] = value;
            if ((old & ~WriteBit) != pfn.Value)
            {
                _memory.RemoveMapping(new Pfn(old & ~WriteBit), _mapper);
                _memory.AddMapping(pfn, _mapper);
            }

            return;
        }

        _entries[gfn.Value] = value;
        _memory.AddMapping(pfn, _mapper);
    }

    /// <summary>
    /// Clears the write permission of every entry for frames [<paramref name="first"/>, <paramref name="first"/> +
    /// <paramref name="count"/>) (<c>kvm_mmu_slot_remove_write_access</c>), so the next guest write faults and is
    /// logged; returns how many entries changed.
    /// </summary>
    public int WriteProtect(Gfn first, ulong count)
    {
        _doomed.Clear();
        foreach (var pair in _entries)
        {
            if (pair.Key - first.Value < count && (pair.Value & WriteBit) != 0)
            {
                _doomed.Add(pair.Key);
            }
        }

        foreach (var gfn in _doomed)
        {
            _entries[gfn] &= ~WriteBit;
        }

        return _doomed.Count;
    }

    /// <summary>Removes the entry for <paramref name="gfn"/>; returns whether there was one.</summary>
    public bool Zap(Gfn gfn)
    {
        if (!_entries.Remove(gfn.Value, out var pfn))
        {
            return false;
        }

        _memory.RemoveMapping(new Pfn(pfn & ~WriteBit), _mapper);
        return true;
    }

    /// <summary>Removes every entry for frames [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>); returns how many went.</summary>
    public int ZapRange(Gfn first, ulong count)
    {
        var zapped = 0;
        if (count <= (ulong)_entries.Count * 4)
        {
            for (var gfn = first.Value; gfn < first.Value + count; gfn++)
            {
                zapped += Zap(new Gfn(gfn)) ? 1 : 0;
            }

            return zapped;
        }

        // A range far larger than the table: visit the entries instead of the range.
        _doomed.Clear();
        foreach (var gfn in _entries.Keys)
        {
            if (gfn - first.Value < count)
            {
                _doomed.Add(gfn);
            }
        }

        foreach (var gfn in _doomed)
        {
            zapped += Zap(new Gfn(gfn)) ? 1 : 0;
        }

        return zapped;
    }

    /// <summary>Removes every entry; returns how many went.</summary>
    public int ZapAll() => ZapRange(default, ulong.MaxValue);

    /// <summary>A copy of the entries, in no particular order.</summary>
    public IReadOnlyList<Stage2Entry> Entries()
    {
        var entries = new List<Stage2Entry>(_entries.Count);
        foreach (var pair in _entries)
        {
            entries.Add(new Stage2Entry(new Gfn(pair.Key), new Pfn(pair.Value & ~WriteBit), (pair.Value & WriteBit) != 0));
        }

        return entries;
    }
}
