using System;
using System.Collections.Generic;
using System.IO;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Mapping;

/// <summary>
/// The pins one owner's out-of-band mappings hold, one slot per mapping member: which member holds which PFN and
/// since which call site. Generated bookkeeping records every map and release here, and reports live pins as leaks
/// when the owner is torn down without unmapping them.
/// </summary>
/// <remarks>
/// Recording and clearing a slot allocate nothing: the call site is kept as the compiler-supplied caller-info
/// constants and formatted only when a ledger entry is asked for.
/// </remarks>
public sealed class PinLedger
{
    private readonly string[] _members;
    private readonly Slot[] _slots;

    /// <summary>Creates a ledger for <paramref name="owner"/> with one slot per name in <paramref name="members"/>.</summary>
    public PinLedger(string owner, params string[] members)
    {
        Owner = owner ?? throw new ArgumentNullException(nameof(owner));
        _members = members ?? throw new ArgumentNullException(nameof(members));
        _slots = new Slot[members.Length];
    }

    /// <summary>The owning object's type name, as reports name it.</summary>
    public string Owner { get; }

    /// <summary>The number of slots (mapping members).</summary>
    public int SlotCount => _slots.Length;

    /// <summary>The number of slots holding a pin now.</summary>
    public int LiveCount
    {
        get
        {
            var live = 0;
            foreach (var slot in _slots)
            {
                if (slot.Live)
                {
                    live++;
                }
            }

            return live;
        }
    }

    /// <summary>Whether <paramref name="slot"/> holds a pin.</summary>
    public bool IsLive(int slot) => _slots[CheckSlot(slot)].Live;

    /// <summary>The frame <paramref name="slot"/> holds; throws when the slot holds no pin.</summary>
    public Pfn PfnOf(int slot)
    {
        ref var entry = ref _slots[CheckSlot(slot)];
        return entry.Live
            ? entry.Pfn
            : throw new InvalidOperationException($"{Owner}.{_members[slot]} holds no pin.");
    }

    /// <summary>Records that <paramref name="slot"/> now holds a pin on <paramref name="pfn"/>, taken at the given call site.</summary>
    /// <exception cref="InvalidOperationException">The slot already holds a pin: recording over it would lose that pin.</exception>
    public void Record(int slot, Pfn pfn, string callerMember, string callerFile, int callerLine)
    {
        ref var entry = ref _slots[CheckSlot(slot)];
        if (entry.Live)
        {
            throw new InvalidOperationException(
                $"{Owner}.{_members[slot]} already holds a pin on {entry.Pfn}; release it before recording {pfn}.");
        }

        entry = new Slot(pfn, callerMember, callerFile, callerLine);
    }

    /// <summary>Records that <paramref name="slot"/> released its pin and returns the frame it held.</summary>
    /// <exception cref="InvalidOperationException">The slot holds no pin: releasing it would be a double release.</exception>
    public Pfn Clear(int slot)
    {
        ref var entry = ref _slots[CheckSlot(slot)];
        if (!entry.Live)
        {
            throw new InvalidOperationException($"{Owner}.{_members[slot]} holds no pin to release (double release).");
        }

        var pfn = entry.Pfn;
        entry = default;
        return pfn;
    }

    /// <summary>The live pins, in slot order.</summary>
    public IReadOnlyList<PinLedgerEntry> LivePins()
    {
        var live = new List<PinLedgerEntry>();
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Live)
            {
                live.Add(EntryOf(i));
            }
        }

        return live;
    }

    /// <summary>
    /// Reports every live pin to <paramref name="sanitizer"/> as <see cref="FindingKind.PinLeakedAtTeardown"/>
    /// (the owner is being torn down with pins it never released) and returns how many it reported.
    /// </summary>
    public int ReportLeaks(MmuSanitizer? sanitizer, string operation)
    {
        var leaks = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (!_slots[i].Live)
            {
                continue;
            }

            leaks++;
            var entry = EntryOf(i);
            sanitizer?.Report(
                FindingKind.PinLeakedAtTeardown,
                entry.Pfn,
                Owner + "." + entry.Member,
                operation,
                $"pin taken at {entry.Site} was never released");
        }

        return leaks;
    }

    private PinLedgerEntry EntryOf(int slot)
    {
        var entry = _slots[slot];
        var site = $"{entry.CallerMember} ({Path.GetFileName(entry.CallerFile)}:{entry.CallerLine})";
        return new PinLedgerEntry(Owner, _members[slot], entry.Pfn, site);
    }

    private int CheckSlot(int slot) =>
        (uint)slot < (uint)_slots.Length
            ? slot
            : throw new ArgumentOutOfRangeException(nameof(slot), slot, $"{Owner} has {_slots.Length} mapping slots.");

    private readonly struct Slot
    {
        public Slot(Pfn pfn, string callerMember, string callerFile, int callerLine)
        {
            Pfn = pfn;
            CallerMember = callerMember;
            CallerFile = callerFile;
            CallerLine = callerLine;
            Live = true;
        }

        public Pfn Pfn { get; }

        public string CallerMember { get; }

        public string CallerFile { get; }

        public int CallerLine { get; }

        public bool Live { get; }
    }
}
