using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Tests.Meta;

namespace MmuGuard.Analyzers.Tests.Realistic.Suite;

/// <summary>A true positive, a false alarm or a miss: one diagnostic or marker of one port.</summary>
internal enum Verdict
{
    TP,
    FP,
    FN,
}

/// <summary>One judged diagnostic or marker: which rule, which port, where (1-based line) and the text it covers.</summary>
internal sealed record Finding(Verdict Verdict, string Rule, string Case, int Line, string Text)
{
    /// <summary>The key a recorded row is matched on.</summary>
    public string Key => string.Join(" | ", Verdict, Rule, Case, Line.ToString(CultureInfo.InvariantCulture), Text);
}

/// <summary>Per-rule true positives, false alarms and misses over a suite run.</summary>
internal sealed record RuleScore(string Rule, int TruePositives, int FalsePositives, int FalseNegatives)
{
    public string Precision => Percent(TruePositives, TruePositives + FalsePositives);

    public string Recall => Percent(TruePositives, TruePositives + FalseNegatives);

    /// <summary>The row as docs/precision.md records it.</summary>
    public string Row => string.Join(
        " | ",
        "| " + Rule,
        TruePositives.ToString(CultureInfo.InvariantCulture),
        FalsePositives.ToString(CultureInfo.InvariantCulture),
        FalseNegatives.ToString(CultureInfo.InvariantCulture),
        Precision,
        Recall + " |");

    private static string Percent(int part, int whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}

/// <summary>
/// Scores a suite run: a diagnostic is a true positive when a marker of the same ID covers exactly its span, a false
/// alarm otherwise; a marker no diagnostic matched is a miss. The documented location is part of the expectation.
/// </summary>
internal static class PrecisionScore
{
    public const string AllRules = "all";

    public static IReadOnlyList<Finding> Judge(SuiteRun run)
    {
        var findings = new List<Finding>();
        foreach (var port in run.Cases)
        {
            var unmatched = port.Expected.ToList();
            foreach (var diagnostic in run.DiagnosticsByCase[port.Name])
            {
                var span = diagnostic.Location.SourceSpan;
                var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;
                var text = port.Source.Substring(span.Start, span.Length);
                var marker = unmatched.FirstOrDefault(m => m.Id == diagnostic.Id && m.Start == span.Start && m.Length == span.Length);
                if (marker is not null)
                {
                    unmatched.Remove(marker);
                    findings.Add(new Finding(Verdict.TP, diagnostic.Id, port.Name, line, Shorten(text)));
                }
                else
                {
                    findings.Add(new Finding(Verdict.FP, diagnostic.Id, port.Name, line, Shorten(text)));
                }
            }

            findings.AddRange(unmatched.Select(m => new Finding(Verdict.FN, m.Id, port.Name, m.Line, Shorten(m.Text))));
        }

        return findings
            .OrderBy(f => f.Case, StringComparer.Ordinal)
            .ThenBy(f => f.Line)
            .ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ThenBy(f => f.Verdict)
            .ToArray();
    }

    /// <summary>One row per shipped rule, then the total over all rules.</summary>
    public static IReadOnlyList<RuleScore> Table(IReadOnlyList<Finding> findings)
    {
        var rules = ShippedRules.Descriptors.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal);
        var rows = rules.Select(rule => Score(rule, findings.Where(f => f.Rule == rule))).ToList();
        rows.Add(Score(AllRules, findings));
        return rows;
    }

    private static RuleScore Score(string rule, IEnumerable<Finding> findings)
    {
        var list = findings.ToList();
        return new RuleScore(
            rule,
            list.Count(f => f.Verdict == Verdict.TP),
            list.Count(f => f.Verdict == Verdict.FP),
            list.Count(f => f.Verdict == Verdict.FN));
    }

    /// <summary>The covered text on one line, short, without table-breaking characters.</summary>
    private static string Shorten(string text)
    {
        var oneLine = string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        oneLine = oneLine.Replace('|', '/').Replace('`', '\'');
        return oneLine.Length <= 60 ? oneLine : oneLine.Substring(0, 57) + "...";
    }
}
