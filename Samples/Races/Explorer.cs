using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;

namespace MmuGuard.Samples.Races;

/// <summary>
/// Explores a <see cref="RaceScenario"/> with Coyote's systematic testing engine: each iteration builds a fresh world,
/// runs the operations as controlled tasks switched at the Runtime's preemption points, and asserts the invariants at
/// every step and at quiescence. A violation comes back with Coyote's reproducible trace and, replayed, the schedule.
/// </summary>
public static class Explorer
{
    /// <summary>The seed of every exploration, so a run is repeatable.</summary>
    public const uint DefaultSeed = 2026;

    // Far above what a scenario needs (under 200 steps); reaching it means some wait never ended: a livelock.
    private const uint MaxSteps = 5000;

    /// <summary>Explores <paramref name="iterations"/> interleavings of <paramref name="scenario"/>, stopping at the first violation.</summary>
    public static ExplorationReport Explore(RaceScenario scenario, uint iterations, uint seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Operations.Count == 0)
        {
            throw new ArgumentException($"Scenario {scenario.Name} has no operation to run.", nameof(scenario));
        }

        var configuration = BaseConfiguration()
            .WithTestingIterations(iterations)
            .WithRandomGeneratorSeed(seed);
        var stopwatch = Stopwatch.StartNew();
        using var engine = TestingEngine.Create(configuration, () => RunOnce(scenario, steps: null));
        engine.SetLogger(new MemoryLogger(VerbosityLevel.None));
        engine.Run();
        stopwatch.Stop();
        var report = engine.TestReport;
        var explored = (uint)Math.Max(report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths, 1);
        if (report.NumOfFoundBugs == 0)
        {
            return new ExplorationReport(scenario, explored, stopwatch.Elapsed, null, null, Array.Empty<ScheduleStep>());
        }

        var trace = engine.ReproducibleTrace;
        var violation = report.BugReports.FirstOrDefault() ?? "a bug without a report";
        var schedule = Replay(scenario, trace, out _);
        return new ExplorationReport(scenario, explored, stopwatch.Elapsed, violation, trace, schedule);
    }

    /// <summary>
    /// Replays <paramref name="reproducibleTrace"/> on <paramref name="scenario"/>, recording the schedule step by step;
    /// <paramref name="violation"/> is what the replay broke (<see langword="null"/> if it no longer breaks anything).
    /// </summary>
    public static IReadOnlyList<ScheduleStep> Replay(RaceScenario scenario, string reproducibleTrace, out string? violation)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentException.ThrowIfNullOrEmpty(reproducibleTrace);
        var steps = new List<ScheduleStep>();
        var configuration = BaseConfiguration().WithReproducibleTrace(reproducibleTrace);
        using var engine = TestingEngine.Create(configuration, () =>
        {
            steps.Clear();
            return RunOnce(scenario, steps);
        });
        engine.SetLogger(new MemoryLogger(VerbosityLevel.None));
        engine.Run();
        violation = engine.TestReport.NumOfFoundBugs == 0 ? null : engine.TestReport.BugReports.FirstOrDefault();
        return steps.ToArray();
    }

    private static Configuration BaseConfiguration() => Configuration.Create()
        .WithRandomStrategy()
        .WithTelemetryEnabled(false)
        .WithMaxSchedulingSteps(MaxSteps)
        .WithFailureOnMaxStepsBoundEnabled(true)
        .WithPotentialDeadlocksReportedAsBugs(true);

    private static async Task RunOnce(RaceScenario scenario, List<ScheduleStep>? steps)
    {
        var scheduler = new CoyoteScheduler(steps);
        var world = new RaceWorld(scheduler);
        scenario.Setup?.Invoke(world);
        scheduler.Watch(world);
        scheduler.AssertInvariants("start");
        // The first operation runs on the test's own task: one controlled thread fewer per iteration.
        var others = new Task[scenario.Operations.Count - 1];
        for (var i = 0; i < others.Length; i++)
        {
            var operation = scenario.Operations[i + 1];
            others[i] = Task.Run(() =>
            {
                scheduler.Enter(operation.Cpu);
                operation.Run(world);
            });
        }

        var first = scenario.Operations[0];
        scheduler.Enter(first.Cpu);
        first.Run(world);
        await Task.WhenAll(others);
        scheduler.Enter("all CPUs done");
        scheduler.AssertQuiescent();
    }
}
