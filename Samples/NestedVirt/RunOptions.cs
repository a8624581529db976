using System;

namespace MmuGuard.Samples.NestedVirt;

/// <summary>The command line of the demo: where to write the trace, whether to run the analyzer report, or to explore races.</summary>
/// <param name="TracePath">Where to write the Chrome trace-event JSON, or <see langword="null"/> for none.</param>
/// <param name="AnalyzerReport">Whether to run the in-process analyzer report after the story.</param>
/// <param name="ExploreIterations">Interleavings to explore per race scenario instead of telling the story, or <see langword="null"/>.</param>
internal sealed record RunOptions(string? TracePath, bool AnalyzerReport, uint? ExploreIterations = null)
{
    public const string Usage =
        "usage: dotnet run --project Samples/NestedVirt [-- [--trace <file.json>] [--no-analyzers] [--explore <interleavings>]]";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static RunOptions Parse(string[] args)
    {
        string? trace = null;
        var analyzers = true;
        uint? explore = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--trace":
                    if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new ArgumentException("--trace needs a file name, e.g. --trace run.json");
                    }

                    trace = args[++i];
                    break;
                case "--explore":
                    if (i + 1 >= args.Length || !uint.TryParse(args[i + 1], out var iterations) || iterations == 0)
                    {
                        throw new ArgumentException("--explore needs a positive number of interleavings, e.g. --explore 2000");
                    }

                    explore = iterations;
                    i++;
                    break;
                case "--no-analyzers":
                    analyzers = false;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        return new RunOptions(trace, analyzers, explore);
    }
}
