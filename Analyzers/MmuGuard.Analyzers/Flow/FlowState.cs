using System.Collections.Generic;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The abstract state at one program point: facts per tracked variable, branch outcomes held by bool variables and
/// flow captures, captured values, and whether a sequence snapshot may be missing. A missing entry is bottom
/// ("nothing known on any path seen so far"), so the join is a pointwise union and the fixpoint only grows.
/// </summary>
internal sealed class FlowState
{
    private readonly Dictionary<object, ValueFacts> _values;
    private readonly Dictionary<object, BranchOutcome> _outcomes;
    private readonly Dictionary<object, AbstractValue> _captures;

    public FlowState()
    {
        _values = new Dictionary<object, ValueFacts>(StateKeyComparer.Instance);
        _outcomes = new Dictionary<object, BranchOutcome>(StateKeyComparer.Instance);
        _captures = new Dictionary<object, AbstractValue>(StateKeyComparer.Instance);
        MayLackSnapshot = true;
    }

    private FlowState(FlowState other)
    {
        _values = new Dictionary<object, ValueFacts>(other._values, StateKeyComparer.Instance);
        _outcomes = new Dictionary<object, BranchOutcome>(other._outcomes, StateKeyComparer.Instance);
        _captures = new Dictionary<object, AbstractValue>(other._captures, StateKeyComparer.Instance);
        MayLackSnapshot = other.MayLackSnapshot;
    }

    /// <summary>On some path no <c>[SnapshotsInvalidationSequence]</c> call has run yet.</summary>
    public bool MayLackSnapshot { get; set; }

    public IEnumerable<KeyValuePair<object, ValueFacts>> Values => _values;

    public FlowState Clone() => new(this);

    public bool TryGet(object key, out ValueFacts facts) => _values.TryGetValue(key, out facts);

    public ValueFacts Get(object key) => _values.TryGetValue(key, out var facts) ? facts : ValueFacts.None;

    public void Set(object key, ValueFacts facts) => _values[key] = facts;

    public void Forget(object key) => _values.Remove(key);

    /// <summary>Sets the facts, or forgets the value when nothing is known of it any more.</summary>
    public void SetOrForget(object key, ValueFacts facts)
    {
        if (facts == ValueFacts.None)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = facts;
        }
    }

    /// <summary>Rewrites the facts of every value (a retry check acts on every value resolved in the body).</summary>
    public void UpdateAll(System.Func<ValueFacts, ValueFacts> update)
    {
        if (_values.Count == 0)
        {
            return;
        }

        var keys = new List<object>(_values.Keys);
        foreach (var key in keys)
        {
            _values[key] = update(_values[key]);
        }
    }

    public BranchOutcome? GetOutcome(object key) => _outcomes.TryGetValue(key, out var outcome) ? outcome : null;

    public void SetOutcome(object key, BranchOutcome? outcome)
    {
        if (outcome is null)
        {
            _outcomes.Remove(key);
        }
        else
        {
            _outcomes[key] = outcome;
        }
    }

    /// <summary>Voids every held outcome that refines <paramref name="key"/>, which was just reassigned.</summary>
    public void VoidOutcomesMentioning(object key)
    {
        if (_outcomes.Count == 0)
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
    }

    public bool TryGetCapture(object id, out AbstractValue value) => _captures.TryGetValue(id, out value);

    public void SetCapture(object id, AbstractValue value) => _captures[id] = value;

    /// <summary>Joins <paramref name="other"/> into this state; returns whether anything grew.</summary>
    public bool JoinFrom(FlowState other)
    {
        var changed = false;
        if (other.MayLackSnapshot && !MayLackSnapshot)
        {
            MayLackSnapshot = true;
            changed = true;
        }

        foreach (var pair in other._values)
        {
            var mine = Get(pair.Key);
            var joined = mine | pair.Value;
            if (joined != mine || !_values.ContainsKey(pair.Key))
            {
                _values[pair.Key] = joined;
                changed = true;
            }
        }

        foreach (var pair in other._outcomes)
        {
            var mine = GetOutcome(pair.Key);
            var joined = BranchOutcome.Join(mine, pair.Value);
            if (!ReferenceEquals(mine, joined))
            {
                SetOutcome(pair.Key, joined);
                changed = true;
            }
        }

        foreach (var pair in other._captures)
        {
            if (!_captures.TryGetValue(pair.Key, out var mine))
            {
                _captures[pair.Key] = pair.Value;
                changed = true;
                continue;
            }

            var key = mine.Key is not null && pair.Value.Key is not null && StateKeyComparer.Instance.Equals(mine.Key, pair.Value.Key)
                ? mine.Key
                : null;
            var joined = new AbstractValue(key, mine.Facts | pair.Value.Facts, BranchOutcome.Join(mine.Outcome, pair.Value.Outcome));
            if (!ReferenceEquals(joined.Key, mine.Key) || joined.Facts != mine.Facts || !ReferenceEquals(joined.Outcome, mine.Outcome))
            {
                _captures[pair.Key] = joined;
                changed = true;
            }
        }

        return changed;
    }
}
