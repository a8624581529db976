using System;

namespace MmuGuard.Samples.NestedVirt;

/// <summary>The command line of the demo: where to write the trace, and whether to run the analyzer report.</summary>
/// <param name="TracePath">Where to write the Chrome trace-event JSON, or <see langword="null"/> for none.</param>
/// <param name="AnalyzerReport">Whether to run the in-process analyzer report after the story.</param>
internal sealed record RunOptions(string? TracePath, bool AnalyzerReport)
{
    public const string Usage =
        "usage: dotnet run --project Samples/NestedVirt [-- [--trace <file.json>] [--no-analyzers]]";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static RunOptions Parse(string[] args)
    {
        string? trace = null;
        var analyzers = true;
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
                case "--no-analyzers":
                    analyzers = false;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        return new RunOptions(trace, analyzers);
    }
}
