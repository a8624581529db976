using System;
using System.Collections.Generic;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The two dictionary operations the state's joins share: keeping only the entries another path agrees on (a decided
/// outcome, a member copy), and telling whether a recomputed map equals the old one (alias groups, implications).
/// </summary>
internal static class DictionaryJoin
{
    /// <summary>
    /// Removes from <paramref name="mine"/> every entry <paramref name="other"/> lacks or holds differently; returns
    /// whether any went.
    /// </summary>
    public static bool KeepAgreeing<TKey, TValue>(Dictionary<TKey, TValue>? mine, Dictionary<TKey, TValue>? other, Func<TValue, TValue, bool> same)
        where TKey : notnull
    {
        if (mine is null || mine.Count == 0)
        {
            return false;
        }

        List<TKey>? disagreeing = null;
        foreach (var pair in mine)
        {
            if (other is null || !other.TryGetValue(pair.Key, out var theirs) || !same(theirs, pair.Value))
            {
                (disagreeing ??= new List<TKey>()).Add(pair.Key);
            }
        }

        if (disagreeing is null)
        {
            return false;
        }

        foreach (var key in disagreeing)
        {
            mine.Remove(key);
        }

        return true;
    }

    /// <summary>Whether the two maps (null is empty) hold the same keys with values <paramref name="same"/> calls equal.</summary>
    public static bool SameEntries<TKey, TValue>(Dictionary<TKey, TValue>? left, Dictionary<TKey, TValue>? right, Func<TValue, TValue, bool> same)
        where TKey : notnull
    {
        var leftCount = left?.Count ?? 0;
        if (leftCount != (right?.Count ?? 0))
        {
            return false;
        }

        if (leftCount == 0)
        {
            return true;
        }

        foreach (var pair in left!)
        {
            if (!right!.TryGetValue(pair.Key, out var theirs) || !same(theirs, pair.Value))
            {
                return false;
            }
        }

        return true;
    }
}
