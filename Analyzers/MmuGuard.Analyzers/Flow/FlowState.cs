using System.Collections.Generic;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The abstract state at one program point: facts per tracked variable, branch outcomes held by bool variables and
/// flow captures, captured values, and whether a sequence snapshot may be missing. A missing entry is bottom
/// ("nothing known on any path seen so far"), so the join is a pointwise union and the fixpoint only grows.
/// </summary>
internal sealed partial class FlowState
{
    // Each map is created on its first entry and copied only when it has entries: states are cloned per block visit
    // and per branch, and most of them hold no outcome or capture at all.
    private Dictionary<AccessPath, ValueFacts>? _values;
    private Dictionary<AccessPath, BranchOutcome>? _outcomes;
    private Dictionary<CaptureId, AbstractValue>? _captures;

    /// <summary>
    /// Try-pin outcomes already branched on along every path reaching this point, with the value taken (keyed by the
    /// outcome's success form). A missing entry is "not decided", so the join keeps only agreeing entries.
    /// </summary>
    private Dictionary<BranchOutcome, bool>? _decided;

    /// <summary>
    /// Variables holding a copy of an owning (<c>[Pinned]</c>) member's value (<c>old_pfn = gpc->pfn</c>): when the
    /// member is overwritten, the copy takes over its pin. Kept at a join only where every path agrees.
    /// </summary>
    private Dictionary<AccessPath, AccessPath>? _memberCopies;

    public FlowState()
    {
        MayLackSnapshot = true;
    }

    private FlowState(FlowState other, Liveness? liveness = null, int ordinal = 0)
    {
        _values = CopyValues(other, liveness, ordinal);
        _outcomes = CopyLive(other._outcomes, liveness, ordinal, static key => key);
        _captures = CopyLive(other._captures, liveness, ordinal, AccessPath.Of);
        _decided = other._decided is null || other._decided.Count == 0 ? null : new Dictionary<BranchOutcome, bool>(other._decided);
        _memberCopies = CopyLive(other._memberCopies, liveness, ordinal, static key => key);
        _nonZero = CopyLive(other._nonZero, liveness, ordinal, static key => key);
        _zeroImplies = CopyLive(other._zeroImplies, liveness, ordinal, static key => key);
        MayLackSnapshot = other.MayLackSnapshot;
        _aliases = CopyAliases(other, liveness, ordinal);
        Locks = other.Locks;
    }

    /// <summary>Whether an invalidation lock may be held or free here, as far as this body's own lock operations say.</summary>
    public LockStatus Locks { get; set; }

    /// <summary>On some path no <c>[SnapshotsInvalidationSequence]</c> call has run yet.</summary>
    public bool MayLackSnapshot { get; set; }

    public IEnumerable<KeyValuePair<AccessPath, ValueFacts>> Values =>
        _values ?? (IEnumerable<KeyValuePair<AccessPath, ValueFacts>>)System.Array.Empty<KeyValuePair<AccessPath, ValueFacts>>();

    public FlowState Clone() => new(this);

    /// <summary>
    /// A copy for the entry of block <paramref name="ordinal"/>, without the variables and captures no block from
    /// there reads (a value still owing a pin is kept: the end of the body judges it).
    /// </summary>
    public FlowState CloneLive(Liveness liveness, int ordinal) => new(this, liveness, ordinal);

    public bool TryGet(AccessPath key, out ValueFacts facts)
    {
        facts = ValueFacts.None;
        return _values is not null && _values.TryGetValue(key, out facts);
    }

    public ValueFacts Get(AccessPath key) => _values is not null && _values.TryGetValue(key, out var facts) ? facts : ValueFacts.None;

    /// <summary>Sets the facts of the value <paramref name="key"/> holds, under every name it has (its aliases).</summary>
    public void Set(AccessPath key, ValueFacts facts)
    {
        _values ??= new Dictionary<AccessPath, ValueFacts>();
        if (AliasesOf(key) is { } names)
        {
            foreach (var name in names)
            {
                _values[name] = facts;
            }
        }
        else
        {
            _values[key] = facts;
        }
    }

    /// <summary>Forgets the value <paramref name="key"/> holds, under every name it has (a null edge: every alias is null).</summary>
    public void Forget(AccessPath key)
    {
        if (_values is null)
        {
            return;
        }

        if (AliasesOf(key) is { } names)
        {
            foreach (var name in names)
            {
                _values.Remove(name);
            }
        }
        else
        {
            _values.Remove(key);
        }
    }

    /// <summary>Sets the facts, or forgets the value when nothing is known of it any more.</summary>
    public void SetOrForget(AccessPath key, ValueFacts facts)
    {
        if (facts == ValueFacts.None)
        {
            Forget(key);
        }
        else
        {
            Set(key, facts);
        }
    }

    /// <summary>Rewrites the facts of every value (a retry check acts on every value resolved in the body).</summary>
    public void UpdateAll(System.Func<ValueFacts, ValueFacts> update)
    {
        if (_values is null || _values.Count == 0)
        {
            return;
        }

        var keys = new List<AccessPath>(_values.Keys);
        foreach (var key in keys)
        {
            _values[key] = update(_values[key]);
        }
    }

    public BranchOutcome? GetOutcome(AccessPath key) => _outcomes is not null && _outcomes.TryGetValue(key, out var outcome) ? outcome : null;

    public void SetOutcome(AccessPath key, BranchOutcome? outcome)
    {
        if (outcome is null)
        {
            _outcomes?.Remove(key);
        }
        else
        {
            (_outcomes ??= new Dictionary<AccessPath, BranchOutcome>())[key] = outcome;
        }
    }

    /// <summary>Voids every held outcome that refines <paramref name="key"/>, which was just reassigned.</summary>
    public void VoidOutcomesMentioning(AccessPath key)
    {
        VoidZeroFactsMentioning(key);
        if (_outcomes is null || _outcomes.Count == 0)
        {
            return;
        }

        List<AccessPath>? stale = null;
        foreach (var pair in _outcomes)
        {
            if (pair.Value.Mentions(key))
            {
                (stale ??= new List<AccessPath>()).Add(pair.Key);
            }
        }

        if (stale is not null)
        {
            foreach (var holder in stale)
            {
                _outcomes[holder] = BranchOutcome.Unknown;
            }
        }

        if (_decided is not null && _decided.Count > 0)
        {
            List<BranchOutcome>? voided = null;
            foreach (var outcome in _decided.Keys)
            {
                if (outcome.Mentions(key))
                {
                    (voided ??= new List<BranchOutcome>()).Add(outcome);
                }
            }

            voided?.ForEach(outcome => _decided.Remove(outcome));
        }
    }

    /// <summary>Whether every path here already branched on <paramref name="outcome"/>, and to which value.</summary>
    public bool TryGetDecided(BranchOutcome outcome, out bool value)
    {
        value = false;
        return _decided is not null && _decided.TryGetValue(outcome, out value);
    }

    public void Decide(BranchOutcome outcome, bool value) => (_decided ??= new Dictionary<BranchOutcome, bool>())[outcome] = value;

    /// <summary>The producer of <paramref name="outcome"/> runs again (a loop): its new result is not decided.</summary>
    public void Undecide(BranchOutcome outcome) => _decided?.Remove(outcome);

    /// <summary>Records that <paramref name="copy"/> holds the value of the owning member <paramref name="member"/>.</summary>
    public void SetMemberCopy(AccessPath copy, AccessPath member) => (_memberCopies ??= new Dictionary<AccessPath, AccessPath>())[copy] = member;

    /// <summary><paramref name="copy"/> was reassigned: it no longer holds a member's value.</summary>
    public void ForgetMemberCopy(AccessPath copy) => _memberCopies?.Remove(copy);

    /// <summary>The variables holding a copy of <paramref name="member"/>, which is about to be overwritten (the links end).</summary>
    public List<AccessPath>? TakeMemberCopies(AccessPath member)
    {
        if (_memberCopies is null || _memberCopies.Count == 0)
        {
            return null;
        }

        List<AccessPath>? copies = null;
        foreach (var pair in _memberCopies)
        {
            if (pair.Value.Equals(member))
            {
                (copies ??= new List<AccessPath>()).Add(pair.Key);
            }
        }

        copies?.ForEach(copy => _memberCopies.Remove(copy));
        return copies;
    }

    public bool TryGetCapture(CaptureId id, out AbstractValue value)
    {
        value = default;
        return _captures is not null && _captures.TryGetValue(id, out value);
    }

    public void SetCapture(CaptureId id, AbstractValue value) => (_captures ??= new Dictionary<CaptureId, AbstractValue>())[id] = value;

    /// <summary>
    /// Joins <paramref name="other"/> into this state, the entry of block <paramref name="ordinal"/>, skipping what
    /// <paramref name="liveness"/> says is dead there; returns whether anything grew.
    /// </summary>
    public bool JoinFrom(FlowState other, Liveness? liveness = null, int ordinal = 0)
    {
        var changed = false;
        var valuesBefore = _aliases is null && other._aliases is null ? null : NamesHeld();
        if (other.MayLackSnapshot && !MayLackSnapshot)
        {
            MayLackSnapshot = true;
            changed = true;
        }

        if ((Locks | other.Locks) != Locks)
        {
            Locks |= other.Locks;
            changed = true;
        }

        if (other._values is not null)
        {
            foreach (var pair in other._values)
            {
                if (liveness is not null && other.IsDroppable(pair.Key, pair.Value, liveness, ordinal))
                {
                    liveness.NoteDropped(pair.Key, pair.Value);
                    continue;
                }

                var known = TryGet(pair.Key, out var mine);
                var joined = mine | pair.Value;
                if (joined != mine || !known)
                {
                    Set(pair.Key, joined);
                    changed = true;
                }
            }
        }

        if (other._outcomes is not null)
        {
            changed |= JoinOutcomesFrom(other, liveness, ordinal);
        }

        if (other._captures is not null)
        {
            changed |= JoinCapturesFrom(other._captures, liveness, ordinal);
        }

        changed |= JoinZeroFactsFrom(other, liveness, ordinal);
        changed |= DictionaryJoin.KeepAgreeing(_decided, other._decided, static (theirs, mine) => theirs == mine);
        changed |= JoinAliasesFrom(other, valuesBefore, liveness, ordinal);
        changed |= DictionaryJoin.KeepAgreeing(_memberCopies, other._memberCopies, static (theirs, mine) => theirs.Equals(mine));
        return changed;
    }

    private bool JoinCapturesFrom(Dictionary<CaptureId, AbstractValue> captures, Liveness? liveness, int ordinal)
    {
        var changed = false;
        foreach (var pair in captures)
        {
            if (liveness is not null && liveness.IsDead(AccessPath.Of(pair.Key), ordinal))
            {
                continue;
            }

            if (!TryGetCapture(pair.Key, out var mine))
            {
                SetCapture(pair.Key, pair.Value);
                changed = true;
                continue;
            }

            var key = JoinedKey(mine, pair.Value);
            var joined = new AbstractValue(key, mine.Facts | pair.Value.Facts, BranchOutcome.JoinValues(mine.Outcome, pair.Value.Outcome));
            if (!System.Nullable.Equals(joined.Key, mine.Key) || joined.Facts != mine.Facts || !ReferenceEquals(joined.Outcome, mine.Outcome))
            {
                SetCapture(pair.Key, joined);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>
    /// The location a capture reads after a merge: the same location on both sides, or the one location where the
    /// other side holds no pin at all (<c>page is null ? KVM_PFN_ERR_FAULT : page_to_pfn(page)</c> is the page's
    /// reference or an error value); otherwise none.
    /// </summary>
    private static AccessPath? JoinedKey(AbstractValue mine, AbstractValue other)
    {
        if (mine.Key is { } left)
        {
            return other.Key is { } right ? (left.Equals(right) ? left : null)
                : (other.Facts & ValueFacts.PinStates) == 0 ? left : null;
        }

        return other.Key is { } incoming && (mine.Facts & ValueFacts.PinStates) == 0 ? incoming : null;
    }

    private static Dictionary<AccessPath, ValueFacts>? CopyValues(FlowState other, Liveness? liveness, int ordinal)
    {
        var map = other._values;
        if (map is null || map.Count == 0)
        {
            return null;
        }

        if (liveness is null)
        {
            return new Dictionary<AccessPath, ValueFacts>(map);
        }

        Dictionary<AccessPath, ValueFacts>? copy = null;
        foreach (var pair in map)
        {
            if (other.IsDroppable(pair.Key, pair.Value, liveness, ordinal))
            {
                liveness.NoteDropped(pair.Key, pair.Value);
                continue;
            }

            (copy ??= new Dictionary<AccessPath, ValueFacts>())[pair.Key] = pair.Value;
        }

        return copy;
    }

    private static Dictionary<TKey, T>? CopyLive<TKey, T>(Dictionary<TKey, T>? map, Liveness? liveness, int ordinal, System.Func<TKey, AccessPath> pathOf)
        where TKey : notnull
    {
        if (map is null || map.Count == 0)
        {
            return null;
        }

        if (liveness is null)
        {
            return new Dictionary<TKey, T>(map);
        }

        Dictionary<TKey, T>? copy = null;
        foreach (var pair in map)
        {
            if (!liveness.IsDead(pathOf(pair.Key), ordinal))
            {
                (copy ??= new Dictionary<TKey, T>())[pair.Key] = pair.Value;
            }
        }

        return copy;
    }

    /// <summary>
    /// A dead variable's facts are dropped unless it still owes a pin (the end of the body reports that) and no live
    /// alias holds the same pin.
    /// </summary>
    private bool IsDroppable(AccessPath key, ValueFacts facts, Liveness liveness, int ordinal) =>
        liveness.IsDead(key, ordinal)
        && (!facts.Has(ValueFacts.Owned | ValueFacts.PinPending) || HasLiveAlias(key, liveness, ordinal));
}
