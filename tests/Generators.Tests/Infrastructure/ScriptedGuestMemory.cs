using System;
using System.Collections.Generic;
using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Generators.Tests.Infrastructure;

/// <summary>
/// A page source whose every answer the test scripts: which frames are refcounted, when an invalidation runs (even in
/// the middle of a resolve). Used where the generated protocol itself is under test, such as the retry loop, which
/// the real VM cannot be made to race on demand.
/// </summary>
internal sealed class ScriptedGuestMemory : IPinnedPageSource, ICoveredPageSource
{
    private readonly Dictionary<Gfn, Pfn> _backing = new();
    private readonly HashSet<Pfn> _notRefcounted = new();
    private readonly Dictionary<Pfn, int> _pins = new();
    private readonly Dictionary<(INotifierCoveredMappingOwner Owner, int Slot), Gfn> _tracked = new();
    private ulong _sequence;

    public MmuSanitizer? Sanitizer { get; } = new();

    /// <summary>Runs inside each <see cref="TryResolve"/>, after the frame is looked up: where a test injects a race.</summary>
    public Action<Gfn>? DuringResolve { get; set; }

    public int Resolves { get; private set; }

    public int TrackedCount => _tracked.Count;

    public Gfn Back(ulong gfn, ulong pfn, bool refcounted = true)
    {
        _backing[new Gfn(gfn)] = new Pfn(pfn);
        if (!refcounted)
        {
            _notRefcounted.Add(new Pfn(pfn));
        }

        return new Gfn(gfn);
    }

    public Pfn FrameOf(Gfn gfn) => _backing[gfn];

    public int PinsOn(Gfn gfn) => _pins.TryGetValue(_backing[gfn], out var pins) ? pins : 0;

    /// <summary>An MMU-notifier invalidation covering <paramref name="gfn"/>: bumps the sequence and calls tracked owners back.</summary>
    public void Invalidate(Gfn gfn)
    {
        _sequence++;
        foreach (var entry in new List<KeyValuePair<(INotifierCoveredMappingOwner Owner, int Slot), Gfn>>(_tracked))
        {
            if (entry.Value == gfn)
            {
                entry.Key.Owner.InvalidateCoveredMapping(entry.Key.Slot);
            }
        }
    }

    public bool IsTracked(INotifierCoveredMappingOwner owner, int slot) => _tracked.ContainsKey((owner, slot));

    public bool TryPinGuestPage(Gfn gfn, out Pfn pfn, out PinRefusal refusal)
    {
        if (!_backing.TryGetValue(gfn, out pfn))
        {
            refusal = PinRefusal.NoMemslot;
            return false;
        }

        if (_notRefcounted.Contains(pfn))
        {
            pfn = default;
            refusal = PinRefusal.NotRefcounted;
            return false;
        }

        _pins[pfn] = (_pins.TryGetValue(pfn, out var pins) ? pins : 0) + 1;
        refusal = PinRefusal.None;
        return true;
    }

    public void ReleaseGuestPage(Pfn pfn)
    {
        var pins = _pins.TryGetValue(pfn, out var held) ? held : 0;
        if (pins == 0)
        {
            Sanitizer!.Report(FindingKind.UnpinBelowZero, pfn, "scripted", nameof(ReleaseGuestPage), "released a pin never taken");
            return;
        }

        _pins[pfn] = pins - 1;
    }

    public ulong SnapshotSequence() => _sequence;

    public bool TryResolve(Gfn gfn, out Pfn pfn, out PinRefusal refusal)
    {
        Resolves++;
        var found = _backing.TryGetValue(gfn, out pfn);
        refusal = found ? PinRefusal.None : PinRefusal.NoMemslot;
        DuringResolve?.Invoke(gfn);
        return found;
    }

    public bool MustRetry(ulong snapshot) => snapshot != _sequence;

    public void Track(INotifierCoveredMappingOwner owner, int slot, Gfn gfn) => _tracked[(owner, slot)] = gfn;

    public void Untrack(INotifierCoveredMappingOwner owner, int slot) => _tracked.Remove((owner, slot));
}
