using System;
using System.Collections.Generic;
using MmuGuard.Samples.World;

namespace MmuGuard.Samples.BuggySim;

/// <summary>
/// Runs each deliberate bug in a fresh world and prints what the runtime sanitizer saw. Building this project shows
/// the same bugs found statically: every line marked <c>// expect: MMUxxxx</c> gets that warning.
/// </summary>
internal static class Program
{
    private static readonly IReadOnlyList<BugScenario> Scenarios = new BugScenario[]
    {
        new("MMU0001", "a follow-pte PFN written to a vmcs02 field without a pin", BuggyNestedEntry.WritesBorrowedPfnToHardware),
        new("MMU0002", "an unconditional pin of the GPU page (CVE-2021-22543)", BuggyFaultHandler.PinsFollowPtePage),
        new("MMU0003", "a refused pin ignored, the PFN used anyway", BuggyNestedEntry.IgnoresTheRefusal),
        new("MMU0004", "a stage-2 install without the invalidation-sequence retry", BuggyFaultHandler.InstallsWithoutRetryCheck),
        new("MMU0005", "a guest-page pin never released", BuggyPageOps.LeaksAPin),
        new("MMU0006", "an out-of-band map written after unmap", BuggyPageOps.WritesAfterUnmap),
        new("MMU0007", "a pin released twice", BuggyPageOps.ReleasesTwice),
        new("MMU0008", "the GPU page marked dirty with no reference held", BuggyPageOps.MarksDirtyWithoutReference),
        new("MMU0009", "a borrowed PFN cached in a plain field, used after the driver freed it", StaleApicCache.UsesAfterDriverTeardown),
        new("MMU0010", "an API annotated both pinned and borrowed", null),
    };

    private static int Main()
    {
        Console.WriteLine("MmuGuard BuggySim: one deliberate instance of every bug class, each run against the sanitizer");
        var caught = 0;
        var runnable = 0;
        foreach (var scenario in Scenarios)
        {
            Console.WriteLine();
            Console.WriteLine($"{scenario.Rule}  {scenario.Title}");
            if (scenario.Run is null)
            {
                Console.WriteLine("    build time only: nothing runs, the analyzers report it");
                continue;
            }

            runnable++;
            var world = new BuggyWorld();
            try
            {
                scenario.Run(world);
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine("    the model stopped it: " + e.Message);
            }

            foreach (var finding in world.Sanitizer.Findings)
            {
                Console.WriteLine("    sanitizer: " + finding);
            }

            if (world.Sanitizer.Findings.Count == 0)
            {
                Console.WriteLine("    sanitizer: nothing at run time (this one is only visible statically)");
            }
            else
            {
                caught++;
            }
        }

        Console.WriteLine();
        Console.WriteLine($"The sanitizer caught {caught} of the {runnable} bugs that run; `dotnet build Samples/BuggySim` shows all {Scenarios.Count} statically.");
        return 0;
    }
}
