using System;
using System.Threading.Tasks;
using MmuGuard.Samples.NestedVirt.AnalyzerReport;
using MmuGuard.Samples.NestedVirt.Story;
using MmuGuard.Samples.NestedVirt.Tracing;

namespace MmuGuard.Samples.NestedVirt;

/// <summary>The main job: the nested-virtualization story on the simulated MMU, then the analyzer report.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        RunOptions options;
        try
        {
            options = RunOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            Console.Error.WriteLine(RunOptions.Usage);
            return 2;
        }

        if (options.ExploreIterations is { } iterations)
        {
            return RaceExploration.Run(Console.Out, iterations, options.TracePath);
        }

        Console.WriteLine("MmuGuard NestedVirt: a GPU driver's non-refcounted page meets a guest and a nested guest");
        var ok = RunStory(options.TracePath);
        if (options.AnalyzerReport)
        {
            ok &= await RunAnalyzerReportAsync().ConfigureAwait(false);
        }

        return ok ? 0 : 1;
    }

    /// <summary>Tells the story, prints the summary, writes the trace; true when the sanitizer stayed silent.</summary>
    private static bool RunStory(string? tracePath)
    {
        var trace = new TraceRecorder();
        var story = new NestedVirtStory(new Narrator(Console.Out, trace));
        var findings = story.Run();
        SummaryTable.Print(Console.Out, story.Outcomes);
        Console.WriteLine(findings.Count == 0
            ? "  Sanitizer: no findings. Every mapping of the non-refcounted page was notifier-covered or refused."
            : $"  Sanitizer: {findings.Count} finding(s) in the clean sim; it is no longer clean.");
        if (tracePath is not null)
        {
            trace.WriteTo(tracePath);
            Console.WriteLine($"  Trace written to {tracePath} (open it in https://ui.perfetto.dev or chrome://tracing).");
        }

        return findings.Count == 0;
    }

    private static async Task<bool> RunAnalyzerReportAsync()
    {
        var components = MmuGuardComponents.LoadFromAppDirectory();
        var rules = AnalyzerReportPrinter.RuleIds(components);
        var buggy = await SampleAnalysis.RunAsync("BuggySim", EmbeddedSamples.From("World", "BuggySim"), components).ConfigureAwait(false);
        var clean = await SampleAnalysis.RunAsync("NestedVirt", EmbeddedSamples.From("World", "NestedVirt"), components).ConfigureAwait(false);
        var buggyMatches = AnalyzerReportPrinter.Print(Console.Out, buggy, rules);
        var cleanMatches = AnalyzerReportPrinter.Print(Console.Out, clean, rules);
        return buggyMatches && cleanMatches;
    }
}
