using System;
using System.Collections.Generic;

namespace MmuGuard.Samples.Races;

/// <summary>
/// A race to explore: operations that run concurrently on a fresh <see cref="RaceWorld"/>, optionally after a
/// set-up. A correct scenario must keep every invariant in every interleaving; a racy one has a schedule that breaks one.
/// </summary>
/// <param name="Name">A short name (<c>fault-vs-invalidation</c>).</param>
/// <param name="Description">What races what.</param>
/// <param name="IsRacy">Whether the scenario carries a deliberate bug.</param>
/// <param name="Operations">The concurrent operations, one per CPU.</param>
public sealed record RaceScenario(string Name, string Description, bool IsRacy, IReadOnlyList<RaceOperation> Operations)
{
    /// <summary>Set-up run before the operations start, on the main task.</summary>
    public Action<RaceWorld>? Setup { get; init; }

    /// <summary>Formats as the name.</summary>
    public override string ToString() => Name;
}
