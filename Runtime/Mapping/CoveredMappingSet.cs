using System;
using MmuGuard.Concurrency;
using MmuGuard.Guest;
using MmuGuard.Physical;

namespace MmuGuard.Mapping;

/// <summary>
/// The notifier-covered mappings of one owner (KVM's <c>gfn_to_pfn_cache</c>): the refresh/invalidate bookkeeping
/// behind each generated <c>Refresh…</c>/<c>Invalidate…</c>/<c>TryGet…</c> member, one slot per mapping member, kept
/// once here so the generated code only forwards to it.
/// </summary>
public sealed class CoveredMappingSet
{
    /// <summary>The most resolves one refresh tries before giving up on a source that invalidates every time.</summary>
    public const int MaxRefreshAttempts = 1000;

    // gpc->lock: the retry check and the publish of a refresh, and every invalidation, happen under it, so an
    // invalidation either lands before the check (and forces a retry) or after the publish (and clears it).
    private readonly ModelLock _lock;
    private readonly string _owner;
    private readonly ICoveredPageSource?[] _sources;
    private readonly bool[] _valid;
    private IInterleavingScheduler? _scheduler;

    /// <summary>Creates the set for <paramref name="owner"/> with <paramref name="slotCount"/> covered mapping slots.</summary>
    public CoveredMappingSet(string owner, int slotCount)
    {
        _owner = owner;
        _lock = new ModelLock(owner + " lock", () => _scheduler);
        _sources = new ICoveredPageSource?[slotCount];
        _valid = new bool[slotCount];
    }

    /// <summary>
    /// Resolves <paramref name="gfn"/> without a pin under the invalidation-sequence retry discipline, stores the frame
    /// in <paramref name="field"/>, and has <paramref name="source"/> invalidate <paramref name="slot"/> of
    /// <paramref name="owner"/> when the host mapping changes.
    /// </summary>
    /// <exception cref="InvalidOperationException">Every one of <see cref="MaxRefreshAttempts"/> resolves was invalidated.</exception>
    public MapResult Refresh(INotifierCoveredMappingOwner owner, int slot, ref Pfn field, ICoveredPageSource source, Gfn gfn)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        _valid[slot] = false;
        if (_sources[slot] is { } previous && !ReferenceEquals(previous, source))
        {
            previous.Untrack(owner, slot);
        }

        // Track before the first snapshot: an invalidation that runs during the resolve then shows in MustRetry.
        _sources[slot] = source;
        source.Track(owner, slot, gfn);

        // Bounded so that a source invalidating on every resolve fails loudly instead of spinning forever.
        for (var attempt = 0; attempt < MaxRefreshAttempts; attempt++)
        {
            var scheduler = _scheduler = (source as IInterleaved)?.Scheduler;
            var sequence = source.SnapshotSequence();
            if (!source.TryResolve(gfn, out var pfn, out var refusal))
            {
                // Nothing backs the frame: the mapping stays invalid and stops listening, as a failed refresh of a PFN cache does.
                source.Untrack(owner, slot);
                _sources[slot] = null;
                return MapResult.Refused(refusal);
            }

            scheduler?.Reached(PreemptionPoint.GpcBetweenResolveAndLock);
            using (_lock.Hold())
            {
                if (!source.MustRetry(sequence))
                {
                    field = pfn;
                    _valid[slot] = true;
                    return MapResult.Mapped(pfn);
                }
            }

            // An invalidation is running: let it finish rather than spin through the bound.
            scheduler?.Blocked(_owner + " refresh waiting for an invalidation");
        }

        throw new InvalidOperationException(
            $"{_owner}: {gfn} was invalidated during each of {MaxRefreshAttempts} refresh attempts (an invalidation is in progress, or one ran during every resolve).");
    }

    /// <summary>Holds the set's lock (<c>gpc-&gt;lock</c>), under which checks and uses of a slot's frame must stay.</summary>
    public LockHold Hold() => _lock.Hold();

    /// <summary>Marks <paramref name="slot"/> invalid (the notifier hook calls this); returns whether it was valid.</summary>
    public bool Invalidate(int slot)
    {
        using (_lock.Hold())
        {
            if (!_valid[slot])
            {
                return false;
            }

            _valid[slot] = false;
            return true;
        }
    }

    /// <summary>The notifier's callback: <see cref="Invalidate"/>, after checking the slot exists.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slot"/> is not one of the owner's slots.</exception>
    public void InvalidateFromNotifier(int slot)
    {
        if ((uint)slot >= (uint)_valid.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"{_owner} has {_valid.Length} notifier-covered mapping slot(s).");
        }

        Invalidate(slot);
    }

    /// <summary>Whether <paramref name="slot"/> holds a frame no invalidation has covered since its refresh.</summary>
    public bool IsValid(int slot)
    {
        using (_lock.Hold())
        {
            return _valid[slot];
        }
    }

    /// <summary>Invalidates every slot and stops listening to its source (teardown, nested exit).</summary>
    public void DeactivateAll(INotifierCoveredMappingOwner owner)
    {
        for (var slot = 0; slot < _valid.Length; slot++)
        {
            Invalidate(slot);
            if (_sources[slot] is { } source)
            {
                _sources[slot] = null;
                source.Untrack(owner, slot);
            }
        }
    }
}
