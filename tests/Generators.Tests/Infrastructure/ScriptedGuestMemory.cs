using System;
using System.Collections.Generic;
using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Physical;

namespace MmuGuard.Generators.Tests.Infrastructure;

/// <summary>
/// A covered page source whose answers the test scripts, down to an invalidation in the middle of a resolve: the race
/// the generated retry loop exists for, which the single-threaded VM cannot be made to run on demand.
/// </summary>
internal sealed class ScriptedGuestMemory : ICoveredPageSource
{
    private readonly Dictionary<Gfn, Pfn> _backing = new();
    private readonly Dictionary<(INotifierCoveredMappingOwner Owner, int Slot), Gfn> _tracked = new();
    private ulong _sequence;

    /// <summary>Runs inside each <see cref="TryResolve"/>, after the frame is looked up: where a test injects a race.</summary>
    public Action<Gfn>? DuringResolve { get; set; }

    public int Resolves { get; private set; }

    public Gfn Back(ulong gfn, ulong pfn)
    {
        _backing[new Gfn(gfn)] = new Pfn(pfn);
        return new Gfn(gfn);
    }

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
