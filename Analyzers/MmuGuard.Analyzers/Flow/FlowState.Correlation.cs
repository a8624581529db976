using System.Collections.Generic;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// Correlations of values with the decided outcomes of the paths that produced them: a flag set to constants under a
/// decided check, and a value known non-zero on one side of a merge (<c>hva = kmap(page)</c> under <c>pfn_valid()</c>)
/// that may be zero on the side where the check went the other way (<c>hva = memremap(…)</c>).
/// </summary>
internal sealed partial class FlowState
{
    /// <summary>Variables that hold a <c>[return: NotZero]</c> result on every path here (a must-fact: kept at a join only where both sides have it).</summary>
    private Dictionary<AccessPath, bool>? _nonZero;

    /// <summary>
    /// Per variable, the implication "zero ⇒ an outcome was decided one way" (a <see cref="BranchOutcomeKind.Implication"/>
    /// outcome whose true edge is the variable's zero edge). Kept at a join only where it holds on both sides.
    /// </summary>
    private Dictionary<AccessPath, BranchOutcome>? _zeroImplies;

    /// <summary><paramref name="key"/> was just written a <c>[return: NotZero]</c> result.</summary>
    public void MarkNonZero(AccessPath key) => (_nonZero ??= new Dictionary<AccessPath, bool>())[key] = true;

    /// <summary>What a zero <paramref name="key"/> proves here: an outcome decided one way, or <see langword="null"/>.</summary>
    public BranchOutcome? ZeroImplication(AccessPath key) =>
        _zeroImplies is not null && _zeroImplies.TryGetValue(key, out var implied) ? implied : null;

    private bool IsNonZero(AccessPath key) => _nonZero is not null && _nonZero.ContainsKey(key);

    /// <summary><paramref name="key"/> was reassigned: what was known of it being non-zero, and implications mentioning it, end.</summary>
    private void VoidZeroFactsMentioning(AccessPath key)
    {
        if (_nonZero is not null && _nonZero.Count > 0)
        {
            List<AccessPath>? stale = null;
            foreach (var path in _nonZero.Keys)
            {
                if (path.StartsWith(key))
                {
                    (stale ??= new List<AccessPath>()).Add(path);
                }
            }

            stale?.ForEach(path => _nonZero.Remove(path));
        }

        if (_zeroImplies is not null && _zeroImplies.Count > 0)
        {
            List<AccessPath>? stale = null;
            foreach (var pair in _zeroImplies)
            {
                if (pair.Key.StartsWith(key) || pair.Value.Mentions(key))
                {
                    (stale ??= new List<AccessPath>()).Add(pair.Key);
                }
            }

            stale?.ForEach(path => _zeroImplies.Remove(path));
        }
    }

    /// <summary>Whether "zero ⇒ <paramref name="implication"/>'s outcome was decided its way" holds for <paramref name="key"/> on every path here.</summary>
    private bool Holds(AccessPath key, BranchOutcome implication) =>
        IsNonZero(key)
        || (TryGetDecided(implication.Source!, out var decided) && decided == implication.ImpliedValue)
        || ReferenceEquals(ZeroImplication(key), implication);

    /// <summary>
    /// The join of the non-zero facts and zero implications (before the decided outcomes are joined): a variable stays
    /// non-zero where both sides have it non-zero; an implication holds after the merge where it holds on both sides,
    /// including the new one a merge creates (non-zero on one side, the outcome decided the other way on the other).
    /// </summary>
    private bool JoinZeroFactsFrom(FlowState other, Liveness? liveness, int ordinal)
    {
        if (_nonZero is null && _zeroImplies is null && other._nonZero is null && other._zeroImplies is null)
        {
            return false;
        }

        var keys = new List<AccessPath>();
        AddKeys(keys, _nonZero?.Keys, null, ordinal);
        AddKeys(keys, _zeroImplies?.Keys, null, ordinal);
        AddKeys(keys, other._nonZero?.Keys, liveness, ordinal);
        AddKeys(keys, other._zeroImplies?.Keys, liveness, ordinal);

        Dictionary<AccessPath, BranchOutcome>? implies = null;
        var changed = false;
        foreach (var key in keys)
        {
            var nonZeroHere = IsNonZero(key);
            if (nonZeroHere && other.IsNonZero(key))
            {
                continue;
            }

            if (ImplicationAfterJoin(key, other) is { } implied)
            {
                (implies ??= new Dictionary<AccessPath, BranchOutcome>())[key] = implied;
            }

            if (nonZeroHere)
            {
                _nonZero!.Remove(key);
                changed = true;
            }
        }

        if (!DictionaryJoin.SameEntries(_zeroImplies, implies, static (theirs, mine) => ReferenceEquals(theirs, mine)))
        {
            _zeroImplies = implies;
            changed = true;
        }

        return changed;
    }

    private static void AddKeys(List<AccessPath> keys, IEnumerable<AccessPath>? source, Liveness? liveness, int ordinal)
    {
        if (source is null)
        {
            return;
        }

        foreach (var key in source)
        {
            if ((liveness is null || !liveness.IsDead(key, ordinal)) && !keys.Contains(key))
            {
                keys.Add(key);
            }
        }
    }

    /// <summary>An implication for <paramref name="key"/> that holds here and in <paramref name="other"/>, or <see langword="null"/>.</summary>
    private BranchOutcome? ImplicationAfterJoin(AccessPath key, FlowState other)
    {
        if (ZeroImplication(key) is { } mine && other.Holds(key, mine))
        {
            return mine;
        }

        if (other.ZeroImplication(key) is { } theirs && Holds(key, theirs))
        {
            return theirs;
        }

        // Non-zero on one side only: the side where it may be zero tells which way its decisions went.
        var nonZeroSide = IsNonZero(key) ? this : other.IsNonZero(key) ? other : null;
        var zeroSide = ReferenceEquals(nonZeroSide, this) ? other : this;
        if (nonZeroSide is null || zeroSide._decided is null)
        {
            return null;
        }

        foreach (var pair in zeroSide._decided)
        {
            if (nonZeroSide.TryGetDecided(pair.Key, out var there) && there == pair.Value)
            {
                continue; // decided alike on both sides: the outcome stays decided, nothing to correlate
            }

            return pair.Key.Implied(pair.Value);
        }

        return null;
    }

    private bool JoinOutcomesFrom(FlowState other, Liveness? liveness, int ordinal)
    {
        var changed = false;
        foreach (var pair in other._outcomes!)
        {
            if (liveness is not null && liveness.IsDead(pair.Key, ordinal))
            {
                continue;
            }

            var mine = GetOutcome(pair.Key);
            var joined = mine is { Kind: BranchOutcomeKind.Constant } && pair.Value.Kind == BranchOutcomeKind.Constant
                && mine.HoldsWhen != pair.Value.HoldsWhen && Correlated(mine.HoldsWhen, other) is { } correlated
                ? correlated
                : BranchOutcome.Join(mine, pair.Value);
            if (!ReferenceEquals(mine, joined))
            {
                SetOutcome(pair.Key, joined);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>
    /// A flag that is a constant on each side of a merge, <paramref name="mine"/> here and its negation in
    /// <paramref name="other"/>, where an outcome was decided one way here and the other way there
    /// (<c>if (kvm_is_reserved_pfn(pfn)) device = true;</c>): after the merge the flag carries that outcome, so a later
    /// test of the flag is a test of the outcome. Null when no decided outcome tells the two sides apart.
    /// </summary>
    private BranchOutcome? Correlated(bool mine, FlowState other)
    {
        if (_decided is null || other._decided is null)
        {
            return null;
        }

        foreach (var pair in _decided)
        {
            if (other._decided.TryGetValue(pair.Key, out var theirs) && theirs != pair.Value)
            {
                return pair.Value == mine ? pair.Key : pair.Key.Negated;
            }
        }

        return null;
    }
}
