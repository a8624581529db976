using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace MmuGuard.Samples.NestedVirt.AnalyzerReport;

/// <summary>
/// The sample sources embedded in this program at build time (see the project file), so the report analyses exactly
/// the code that was built, wherever the program runs from.
/// </summary>
internal static class EmbeddedSamples
{
    private const string Prefix = "samples/";

    /// <summary>The sources of the folders <paramref name="folders"/> (e.g. <c>World</c>, <c>BuggySim</c>), ordered by path.</summary>
    public static IReadOnlyList<SampleSource> From(params string[] folders)
    {
        var assembly = typeof(EmbeddedSamples).Assembly;
        var sources = new List<SampleSource>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var path = name.Substring(Prefix.Length).Replace('\\', '/');
            if (Array.Exists(folders, folder => path.StartsWith(folder + "/", StringComparison.Ordinal)))
            {
                sources.Add(new SampleSource(path, Read(assembly, name)));
            }
        }

        if (sources.Count == 0)
        {
            throw new InvalidOperationException(
                $"No embedded sources under {string.Join(", ", folders)}: the project file's EmbeddedResource items are missing.");
        }

        sources.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return sources;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded source {name} vanished.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
