using System;
using System.Threading.Tasks;
using MmuGuard.Samples.NestedVirt.AnalyzerReport;

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

        var ok = true;
        if (options.AnalyzerReport)
        {
            ok &= await RunAnalyzerReportAsync().ConfigureAwait(false);
        }

        return ok ? 0 : 1;
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
