using System;
using System.Collections.Generic;

namespace MmuGuard.Samples.Races;

/// <summary>What exploring one scenario found.</summary>
/// <param name="Scenario">The scenario explored.</param>
/// <param name="Iterations">How many interleavings (test iterations) ran.</param>
/// <param name="Elapsed">Wall-clock time of the exploration.</param>
/// <param name="Violation">The first broken invariant, or <see langword="null"/> when every interleaving kept them.</param>
/// <param name="ReproducibleTrace">Coyote's replayable schedule of the violation, or <see langword="null"/>.</param>
/// <param name="FailingSchedule">The violating schedule step by step, recorded by replaying it; empty when none.</param>
public sealed record ExplorationReport(
    RaceScenario Scenario,
    uint Iterations,
    TimeSpan Elapsed,
    string? Violation,
    string? ReproducibleTrace,
    IReadOnlyList<ScheduleStep> FailingSchedule)
{
    /// <summary>Whether some interleaving broke an invariant.</summary>
    public bool FoundRace => Violation is not null;

    /// <summary>Interleavings explored per second.</summary>
    public double IterationsPerSecond => Elapsed.TotalSeconds > 0 ? Iterations / Elapsed.TotalSeconds : 0;
}
