using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace MmuGuard.Samples.NestedVirt.AnalyzerReport;

/// <summary>
/// Reads the diagnostics a sample line is meant to produce from its trailing <c>// expect: MMU0001</c> (or
/// <c>// expect: MMU0001, MMU0005</c>) comment. Shared with the package tests, so the report and the tests agree
/// on what is expected without hard-coded line numbers.
/// </summary>
internal static class ExpectMarkers
{
    private static readonly Regex Marker = new(
        @"//\s*expect:\s*(?<id>MMU\d{4})(?:\s*,\s*(?<id>MMU\d{4}))*\s*$",
        RegexOptions.CultureInvariant);

    /// <summary>The (1-based line, rule ID) pairs marked in <paramref name="text"/>.</summary>
    public static IEnumerable<(int Line, string Id)> InText(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Marker.Match(lines[i].TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            foreach (Capture id in match.Groups["id"].Captures)
            {
                yield return (i + 1, id.Value);
            }
        }
    }
}
