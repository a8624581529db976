using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MmuGuard.Analyzers.Tests.Meta;
using MmuGuard.Tests.Shared;

namespace MmuGuard.Analyzers.Tests.Realistic.Suite;

/// <summary>A recorded false alarm or miss and the issue-9 capabilities it waits for (<c>#1</c> … <c>#10</c>).</summary>
internal sealed record RecordedFinding(string Key, string Needs)
{
    private static readonly Regex ItemReference = new(@"#(?<item>10|[1-9])\b", RegexOptions.Compiled);

    /// <summary>The issue-9 items the reason cites, each once.</summary>
    public IReadOnlyList<int> Items => ItemReference.Matches(Needs)
        .Select(match => int.Parse(match.Groups["item"].Value, CultureInfo.InvariantCulture))
        .Distinct()
        .OrderBy(item => item)
        .ToArray();
}

/// <summary>
/// The record in docs/precision.md that the scoring test holds the analyzers to: the per-rule score rows
/// (<c>| MMU0005 | 3 | 1 | 0 | 75.0 % | 100.0 % |</c>, and <c>| all | … |</c>) and one row per known false alarm or
/// miss (<c>| FP | MMU0005 | port | line | `text` | needs |</c>), and how many of those each issue-9 item would settle
/// (<c>| #1 | 37 |</c>).
/// </summary>
internal static class PrecisionRecord
{
    public static string DocumentPath => RepositoryRoot.PathOf("docs", "precision.md");

    public static IReadOnlyList<string> ScoreRows(string document) =>
        Lines(document)
            .Where(line => line.StartsWith("| MMU", StringComparison.Ordinal) || line.StartsWith("| " + PrecisionScore.AllRules + " |", StringComparison.Ordinal))
            .ToArray();

    public static IReadOnlyList<RecordedFinding> Findings(string document) =>
        Lines(document)
            .Where(line => line.StartsWith("| FP |", StringComparison.Ordinal) || line.StartsWith("| FN |", StringComparison.Ordinal))
            .Select(Parse)
            .ToArray();

    /// <summary>The <c>| #n | count |</c> rows: how many recorded findings cite each issue-9 item.</summary>
    public static IReadOnlyList<string> ItemRows(string document) =>
        Lines(document).Where(line => Regex.IsMatch(line, @"^\| #(10|[1-9]) \|")).ToArray();

    /// <summary>The item rows the recorded findings imply, in item order.</summary>
    public static IReadOnlyList<string> ItemRowsFor(IReadOnlyList<RecordedFinding> findings) =>
        findings.SelectMany(finding => finding.Items)
            .GroupBy(item => item)
            .OrderBy(group => group.Key)
            .Select(group => "| #" + group.Key.ToString(CultureInfo.InvariantCulture) + " | " + group.Count().ToString(CultureInfo.InvariantCulture) + " |")
            .ToArray();

    /// <summary>The row docs/precision.md should hold for <paramref name="finding"/> (the reason left for a person to write).</summary>
    public static string RowFor(Finding finding, string needs) =>
        "| " + finding.Verdict + " | " + finding.Rule + " | " + finding.Case + " | " + finding.Line + " | `" + finding.Text + "` | " + needs + " |";

    private static RecordedFinding Parse(string row)
    {
        var cells = row.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
        if (cells.Length != 6)
        {
            throw new InvalidDataException("docs/precision.md: a finding row has six cells (verdict, rule, port, line, text, needs): " + row);
        }

        var key = string.Join(" | ", cells[0], cells[1], cells[2], cells[3], cells[4].Trim('`'));
        return new RecordedFinding(key, cells[5]);
    }

    private static IEnumerable<string> Lines(string document) =>
        document.Split('\n').Select(line => line.TrimEnd('\r').Trim());
}
