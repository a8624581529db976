using System.Collections.Generic;
using System.IO;
namespace MmuGuard.Samples.Races;

/// <summary>
/// NestedVirt's <c>--explore N</c>: explores N interleavings of each race scenario with Coyote and prints what it
/// found: KVM's correct paths must stay clean, BuggySim's racy variants should each be caught. <c>--trace</c> then
/// writes the failing schedules as a Perfetto trace, one process per variant, one track per CPU.
/// </summary>
public static class RaceReport
{
    /// <summary>Runs the exploration; true when no correct scenario broke an invariant.</summary>
    public static bool Run(TextWriter output, uint iterations, string? tracePath)
    {
        output.WriteLine($"MmuGuard NestedVirt: exploring {iterations} interleavings per race scenario (Coyote, seed {Explorer.DefaultSeed})");
        var clean = true;
        ulong explored = 0;
        var seconds = 0.0;
        var failing = new List<ExplorationReport>();
        foreach (var scenario in RaceScenarios.All)
        {
            var report = Explorer.Explore(scenario, iterations);
            explored += report.Iterations;
            seconds += report.Elapsed.TotalSeconds;
            var verdict = report.FoundRace ? "RACE: " + FirstLine(report.Violation!) : "no violation";
            output.WriteLine($"  {scenario.Name,-38} {report.Iterations,7} interleavings {report.IterationsPerSecond,7:F0}/s  {verdict}");
            if (report.FoundRace)
            {
                failing.Add(report);
                clean &= scenario.IsRacy;
            }
        }

        var racyFound = 0;
        foreach (var report in failing)
        {
            racyFound += report.Scenario.IsRacy ? 1 : 0;
        }

        output.WriteLine($"  {explored} interleavings explored in {seconds:F1} s; races found in {racyFound} of {RaceScenarios.Racy.Count} racy variants.");
        output.WriteLine(clean
            ? "  Correct scenarios: no invariant broken in any explored interleaving."
            : "  A CORRECT scenario broke an invariant: the model or the Runtime has a race.");
        if (tracePath is not null && failing.Count > 0)
        {
            ChromeTrace.Write(tracePath, failing);
            output.WriteLine($"  Failing schedules written to {tracePath} (open it in https://ui.perfetto.dev).");
        }

        return clean;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n');
        return end < 0 ? text : text[..end].TrimEnd();
    }
}
