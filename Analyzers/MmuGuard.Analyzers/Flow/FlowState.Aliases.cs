using System.Collections.Generic;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// Aliases: variables that hold one value under several names (<c>var vmcb12 = map;</c>, <c>pfn = page_to_pfn(page)</c>).
/// As roslyn-analyzers' PointsTo analysis gives every allocated value one abstract location that locals point to, the
/// state keeps one obligation per value: the names of a value form a group, and <see cref="Set"/> and
/// <see cref="Forget"/> act on every name of the group, so a release through one name releases the value for all of
/// them. Groups are must-aliases: at a merge two names stay one value only where every path either made them one or
/// has not reached one of them yet.
/// </summary>
internal sealed partial class FlowState
{
    /// <summary>
    /// The most names one value keeps: a further copy takes the place of the name it copies (the old name becomes
    /// unknown, as before aliases), so generated chains of copies cost no quadratic work.
    /// </summary>
    public const int MaxNames = 16;

    /// <summary>Each variable that shares its value with another one → every name of that value (two or more, itself included).</summary>
    private Dictionary<AccessPath, AccessPath[]>? _aliases;

    /// <summary>The names of the value <paramref name="key"/> holds, itself included, or <see langword="null"/> when it has no alias.</summary>
    public AccessPath[]? AliasesOf(AccessPath key) =>
        _aliases is not null && _aliases.TryGetValue(key, out var names) ? names : null;

    /// <summary>Makes <paramref name="copy"/>, just assigned, a second name of the value <paramref name="source"/> holds.</summary>
    public void Alias(AccessPath copy, AccessPath source)
    {
        if (copy.Equals(source))
        {
            return;
        }

        Detach(copy);
        var names = AliasesOf(source);
        var joined = new AccessPath[(names?.Length ?? 1) + 1];
        if (names is null)
        {
            joined[0] = source;
        }
        else
        {
            names.CopyTo(joined, 0);
        }

        joined[joined.Length - 1] = copy;
        _aliases ??= new Dictionary<AccessPath, AccessPath[]>();
        foreach (var name in joined)
        {
            _aliases[name] = joined;
        }

        if (TryGet(source, out var facts))
        {
            (_values ??= new Dictionary<AccessPath, ValueFacts>())[copy] = facts;
        }
        else
        {
            _values?.Remove(copy);
        }
    }

    /// <summary>
    /// <paramref name="key"/> is about to name another value: it leaves its group. Returns whether another name
    /// still holds the old value (so a pin it held is not lost).
    /// </summary>
    public bool Detach(AccessPath key)
    {
        if (AliasesOf(key) is not { } names)
        {
            return false;
        }

        _aliases!.Remove(key);
        if (names.Length == 2)
        {
            _aliases.Remove(names[0].Equals(key) ? names[1] : names[0]);
            return true;
        }

        var rest = new AccessPath[names.Length - 1];
        var i = 0;
        foreach (var name in names)
        {
            if (!name.Equals(key))
            {
                rest[i++] = name;
            }
        }

        foreach (var name in rest)
        {
            _aliases[name] = rest;
        }

        return true;
    }

    /// <summary>Whether another name of <paramref name="key"/>'s value is still read from block <paramref name="ordinal"/> on.</summary>
    private bool HasLiveAlias(AccessPath key, Liveness liveness, int ordinal)
    {
        if (AliasesOf(key) is not { } names)
        {
            return false;
        }

        foreach (var name in names)
        {
            if (!name.Equals(key) && !liveness.IsDead(name, ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether this state knows anything of <paramref name="key"/> (facts or a group): a name no path reached yet has neither.</summary>
    private bool Names(AccessPath key) =>
        (_values is not null && _values.ContainsKey(key)) || (_aliases is not null && _aliases.ContainsKey(key));

    private HashSet<AccessPath> NamesHeld()
    {
        var names = new HashSet<AccessPath>();
        if (_values is not null)
        {
            names.UnionWith(_values.Keys);
        }

        if (_aliases is not null)
        {
            names.UnionWith(_aliases.Keys);
        }

        return names;
    }

    /// <summary>The groups of <paramref name="other"/> without the names dead at block <paramref name="ordinal"/>.</summary>
    private static Dictionary<AccessPath, AccessPath[]>? CopyAliases(FlowState other, Liveness? liveness, int ordinal)
    {
        if (other._aliases is null || other._aliases.Count == 0)
        {
            return null;
        }

        if (liveness is null)
        {
            return new Dictionary<AccessPath, AccessPath[]>(other._aliases);
        }

        var pairs = new List<(AccessPath, AccessPath)>();
        foreach (var pair in other._aliases)
        {
            foreach (var name in pair.Value)
            {
                if (IsLiveName(pair.Key, other, liveness, ordinal) && IsLiveName(name, other, liveness, ordinal))
                {
                    pairs.Add((pair.Key, name));
                }
            }
        }

        return Groups(pairs);
    }

    /// <summary>A name stays in a group while it is read later, or while its dropped-when-dead facts are kept (it owes the pin).</summary>
    private static bool IsLiveName(AccessPath name, FlowState state, Liveness liveness, int ordinal) =>
        !liveness.IsDead(name, ordinal) || (state.TryGet(name, out var facts) && !state.IsDroppable(name, facts, liveness, ordinal));

    /// <summary>
    /// The must-alias join: two names stay one value where each side either groups them or has not reached one of
    /// them (<paramref name="namesBefore"/> are this side's names before the values were joined). A kept group's
    /// facts are the union of its names' facts.
    /// </summary>
    private bool JoinAliasesFrom(FlowState other, HashSet<AccessPath>? namesBefore, Liveness? liveness, int ordinal)
    {
        if (namesBefore is null)
        {
            return false;
        }

        var pairs = new List<(AccessPath, AccessPath)>();
        AddAgreeingPairs(_aliases, this, namesBefore, other, pairs, liveness, ordinal, incoming: false);
        AddAgreeingPairs(other._aliases, this, namesBefore, other, pairs, liveness, ordinal, incoming: true);
        var joined = Groups(pairs);
        var changed = !DictionaryJoin.SameEntries(_aliases, joined, static (theirs, mine) => SameNames(theirs, mine));
        _aliases = joined;
        if (joined is null)
        {
            return changed;
        }

        foreach (var names in joined.Values)
        {
            var union = ValueFacts.None;
            var known = false;
            foreach (var name in names)
            {
                if (TryGet(name, out var facts))
                {
                    union |= facts;
                    known = true;
                }
            }

            foreach (var name in names)
            {
                if (known && (!TryGet(name, out var facts) || facts != union))
                {
                    _values![name] = union;
                    changed = true;
                }
            }
        }

        return changed;
    }

    private static void AddAgreeingPairs(
        Dictionary<AccessPath, AccessPath[]>? groups,
        FlowState mine,
        HashSet<AccessPath> mineBefore,
        FlowState other,
        List<(AccessPath, AccessPath)> pairs,
        Liveness? liveness,
        int ordinal,
        bool incoming)
    {
        if (groups is null)
        {
            return;
        }

        foreach (var pair in groups)
        {
            foreach (var name in pair.Value)
            {
                var first = pair.Key;
                if (name.Equals(first) || (liveness is not null && incoming
                    && (!IsLiveName(first, other, liveness, ordinal) || !IsLiveName(name, other, liveness, ordinal))))
                {
                    continue;
                }

                var mineAgrees = Grouped(mine._aliases, first, name) || !mineBefore.Contains(first) || !mineBefore.Contains(name);
                var otherAgrees = Grouped(other._aliases, first, name) || !other.Names(first) || !other.Names(name);
                if (mineAgrees && otherAgrees)
                {
                    pairs.Add((first, name));
                }
            }
        }
    }

    private static bool Grouped(Dictionary<AccessPath, AccessPath[]>? groups, AccessPath first, AccessPath second) =>
        groups is not null && groups.TryGetValue(first, out var names) && System.Array.IndexOf(names, second) >= 0;

    /// <summary>The groups the pairs connect (a union of components), or <see langword="null"/> when there are none.</summary>
    private static Dictionary<AccessPath, AccessPath[]>? Groups(List<(AccessPath First, AccessPath Second)> pairs)
    {
        if (pairs.Count == 0)
        {
            return null;
        }

        var component = new Dictionary<AccessPath, List<AccessPath>>();
        foreach (var (first, second) in pairs)
        {
            if (first.Equals(second))
            {
                continue;
            }

            var left = component.TryGetValue(first, out var l) ? l : null;
            var right = component.TryGetValue(second, out var r) ? r : null;
            if (left is null && right is null)
            {
                var names = new List<AccessPath> { first, second };
                component[first] = names;
                component[second] = names;
            }
            else if (left is null)
            {
                right!.Add(first);
                component[first] = right;
            }
            else if (right is null)
            {
                left.Add(second);
                component[second] = left;
            }
            else if (!ReferenceEquals(left, right))
            {
                foreach (var name in right)
                {
                    left.Add(name);
                    component[name] = left;
                }
            }
        }

        if (component.Count == 0)
        {
            return null;
        }

        var groups = new Dictionary<AccessPath, AccessPath[]>();
        var built = new Dictionary<List<AccessPath>, AccessPath[]>();
        foreach (var pair in component)
        {
            if (!built.TryGetValue(pair.Value, out var names))
            {
                names = pair.Value.ToArray();
                built[pair.Value] = names;
            }

            groups[pair.Key] = names;
        }

        return groups;
    }

    /// <summary>Two groups of one value hold the same names (in any order).</summary>
    private static bool SameNames(AccessPath[] theirs, AccessPath[] mine)
    {
        if (theirs.Length != mine.Length)
        {
            return false;
        }

        foreach (var name in mine)
        {
            if (System.Array.IndexOf(theirs, name) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
