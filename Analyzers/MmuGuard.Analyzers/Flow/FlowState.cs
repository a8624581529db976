using System.Collections.Generic;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The abstract state at one program point: facts per tracked variable, branch outcomes held by bool variables and
/// flow captures, captured values, and whether a sequence snapshot may be missing. A missing entry is bottom
/// ("nothing known on any path seen so far"), so the join is a pointwise union and the fixpoint only grows.
/// </summary>
internal sealed class FlowState
{
    // Each map is created on its first entry and copied only when it has entries: states are cloned per block visit
    // and per branch, and most of them hold no outcome or capture at all.
    private Dictionary<object, ValueFacts>? _values;
    private Dictionary<object, BranchOutcome>? _outcomes;
    private Dictionary<object, AbstractValue>? _captures;

    /// <summary>
    /// Try-pin outcomes already branched on along every path reaching this point, with the value taken (keyed by the
    /// outcome's success form). A missing entry is "not decided", so the join keeps only agreeing entries.
    /// </summary>
    private Dictionary<BranchOutcome, bool>? _decided;

    public FlowState()
    {
        MayLackSnapshot = true;
    }

    private FlowState(FlowState other, Liveness? liveness = null, int ordinal = 0)
    {
        _values = CopyOf(other._values, liveness, ordinal, keepObligations: true);
        _outcomes = CopyOf(other._outcomes, liveness, ordinal, keepObligations: false);
        _captures = CopyOf(other._captures, liveness, ordinal, keepObligations: false);
        _decided = other._decided is null || other._decided.Count == 0 ? null : new Dictionary<BranchOutcome, bool>(other._decided);
        MayLackSnapshot = other.MayLackSnapshot;
    }

    /// <summary>On some path no <c>[SnapshotsInvalidationSequence]</c> call has run yet.</summary>
    public bool MayLackSnapshot { get; set; }

    public IEnumerable<KeyValuePair<object, ValueFacts>> Values =>
        _values ?? (IEnumerable<KeyValuePair<object, ValueFacts>>)System.Array.Empty<KeyValuePair<object, ValueFacts>>();

    public FlowState Clone() => new(this);

    /// <summary>
    /// A copy for the entry of block <paramref name="ordinal"/>, without the variables and captures no block from
    /// there reads (a value still owing a pin is kept: the end of the body judges it).
    /// </summary>
    public FlowState CloneLive(Liveness liveness, int ordinal) => new(this, liveness, ordinal);

    public bool TryGet(object key, out ValueFacts facts)
    {
        facts = ValueFacts.None;
        return _values is not null && _values.TryGetValue(key, out facts);
    }

    public ValueFacts Get(object key) => _values is not null && _values.TryGetValue(key, out var facts) ? facts : ValueFacts.None;

    public void Set(object key, ValueFacts facts) => (_values ??= NewMap<ValueFacts>())[key] = facts;

    public void Forget(object key) => _values?.Remove(key);

    /// <summary>Sets the facts, or forgets the value when nothing is known of it any more.</summary>
    public void SetOrForget(object key, ValueFacts facts)
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

        var keys = new List<object>(_values.Keys);
        foreach (var key in keys)
        {
            _values[key] = update(_values[key]);
        }
    }

    public BranchOutcome? GetOutcome(object key) => _outcomes is not null && _outcomes.TryGetValue(key, out var outcome) ? outcome : null;

    public void SetOutcome(object key, BranchOutcome? outcome)
    {
        if (outcome is null)
        {
            _outcomes?.Remove(key);
        }
        else
        {
            (_outcomes ??= NewMap<BranchOutcome>())[key] = outcome;
        }
    }

    /// <summary>Voids every held outcome that refines <paramref name="key"/>, which was just reassigned.</summary>
    public void VoidOutcomesMentioning(object key)
    {
        if (_outcomes is null || _outcomes.Count == 0)
        {
            return;
        }

        List<object>? stale = null;
        foreach (var pair in _outcomes)
        {
            if (pair.Value.Mentions(key))
            {
                (stale ??= new List<object>()).Add(pair.Key);
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

    public bool TryGetCapture(object id, out AbstractValue value)
    {
        value = default;
        return _captures is not null && _captures.TryGetValue(id, out value);
    }

    public void SetCapture(object id, AbstractValue value) => (_captures ??= NewMap<AbstractValue>())[id] = value;

    /// <summary>
    /// Joins <paramref name="other"/> into this state, the entry of block <paramref name="ordinal"/>, skipping what
    /// <paramref name="liveness"/> says is dead there; returns whether anything grew.
    /// </summary>
    public bool JoinFrom(FlowState other, Liveness? liveness = null, int ordinal = 0)
    {
        var changed = false;
        if (other.MayLackSnapshot && !MayLackSnapshot)
        {
            MayLackSnapshot = true;
            changed = true;
        }

        if (other._values is not null)
        {
            foreach (var pair in other._values)
            {
                if (liveness is not null && IsDroppable(pair.Key, pair.Value, liveness, ordinal))
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
            changed |= JoinOutcomesFrom(other._outcomes, liveness, ordinal);
        }

        if (other._captures is not null)
        {
            changed |= JoinCapturesFrom(other._captures, liveness, ordinal);
        }

        changed |= KeepDecidedAgreeingWith(other._decided);
        return changed;
    }

    private bool KeepDecidedAgreeingWith(Dictionary<BranchOutcome, bool>? other)
    {
        if (_decided is null || _decided.Count == 0)
        {
            return false;
        }

        List<BranchOutcome>? disagreeing = null;
        foreach (var pair in _decided)
        {
            if (other is null || !other.TryGetValue(pair.Key, out var value) || value != pair.Value)
            {
                (disagreeing ??= new List<BranchOutcome>()).Add(pair.Key);
            }
        }

        if (disagreeing is null)
        {
            return false;
        }

        foreach (var outcome in disagreeing)
        {
            _decided.Remove(outcome);
        }

        return true;
    }

    private bool JoinOutcomesFrom(Dictionary<object, BranchOutcome> outcomes, Liveness? liveness, int ordinal)
    {
        var changed = false;
        foreach (var pair in outcomes)
        {
            if (liveness is not null && liveness.IsDead(pair.Key, ordinal))
            {
                continue;
            }

            var mine = GetOutcome(pair.Key);
            var joined = BranchOutcome.Join(mine, pair.Value);
            if (!ReferenceEquals(mine, joined))
            {
                SetOutcome(pair.Key, joined);
                changed = true;
            }
        }

        return changed;
    }

    private bool JoinCapturesFrom(Dictionary<object, AbstractValue> captures, Liveness? liveness, int ordinal)
    {
        var changed = false;
        foreach (var pair in captures)
        {
            if (liveness is not null && liveness.IsDead(pair.Key, ordinal))
            {
                continue;
            }

            if (!TryGetCapture(pair.Key, out var mine))
            {
                SetCapture(pair.Key, pair.Value);
                changed = true;
                continue;
            }

            var key = mine.Key is not null && pair.Value.Key is not null && StateKeyComparer.Instance.Equals(mine.Key, pair.Value.Key)
                ? mine.Key
                : null;
            var joined = new AbstractValue(key, mine.Facts | pair.Value.Facts, BranchOutcome.JoinValues(mine.Outcome, pair.Value.Outcome));
            if (!ReferenceEquals(joined.Key, mine.Key) || joined.Facts != mine.Facts || !ReferenceEquals(joined.Outcome, mine.Outcome))
            {
                SetCapture(pair.Key, joined);
                changed = true;
            }
        }

        return changed;
    }

    private static Dictionary<object, T> NewMap<T>() => new(StateKeyComparer.Instance);

    private static Dictionary<object, T>? CopyOf<T>(Dictionary<object, T>? map, Liveness? liveness, int ordinal, bool keepObligations)
    {
        if (map is null || map.Count == 0)
        {
            return null;
        }

        if (liveness is null)
        {
            return new Dictionary<object, T>(map, StateKeyComparer.Instance);
        }

        Dictionary<object, T>? copy = null;
        foreach (var pair in map)
        {
            var obligation = false;
            if (keepObligations && pair.Value is ValueFacts facts)
            {
                obligation = !IsDroppable(pair.Key, facts, liveness, ordinal);
                if (!obligation)
                {
                    liveness.NoteDropped(pair.Key, facts);
                }
            }

            if (obligation || (!keepObligations && !liveness.IsDead(pair.Key, ordinal)))
            {
                (copy ??= new Dictionary<object, T>(StateKeyComparer.Instance))[pair.Key] = pair.Value;
            }
        }

        return copy;
    }

    /// <summary>A dead variable's facts are dropped unless it still owes a pin (the end of the body reports that).</summary>
    private static bool IsDroppable(object key, ValueFacts facts, Liveness liveness, int ordinal) =>
        !facts.Has(ValueFacts.Owned | ValueFacts.PinPending) && liveness.IsDead(key, ordinal);
}
