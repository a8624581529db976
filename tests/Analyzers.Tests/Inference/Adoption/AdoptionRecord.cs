using System;
using System.IO;
using System.Linq;
using System.Text;
using MmuGuard.Analyzers.Tests.Meta;

using MmuGuard.Tests.Shared;

namespace MmuGuard.Analyzers.Tests.Inference.Adoption;

/// <summary>
/// The measured part of docs/adoption.md: between <c>&lt;!-- adoption:NAME --&gt;</c> and <c>&lt;!-- /adoption:NAME --&gt;</c>,
/// a summary line and a table of every place that is not recovered exactly, each with the reason in a last column
/// the test does not compare but requires to be filled in.
/// </summary>
internal static class AdoptionRecord
{
    public static string Render(AdoptionCensus census)
    {
        var text = new StringBuilder();
        text.Append("Hand-written contracts where the inference writes them: ").Append(census.HandWritten)
            .Append(" (kept as seeds: ").Append(census.Kept).Append(" attributes of other kinds or places)")
            .Append(". Fix-All passes to the fixpoint: ").Append(census.Passes)
            .Append(". Recovered exactly: ").Append(census.Count("recovered"))
            .Append("; differ: ").Append(census.Count("differs"))
            .Append("; missing: ").Append(census.Count("missing"))
            .Append("; extra (inferred where the hand-written code has none): ").Append(census.Count("extra"))
            .Append("; new diagnostics against the original: ").Append(census.NewDiagnostics.Length)
            .Append('.').Append('\n');
        text.Append('\n');
        text.Append("| result | place | hand-written | inferred |\n");
        text.Append("| --- | --- | --- | --- |\n");
        foreach (var row in census.Rows.Where(row => row.Result != "recovered"))
        {
            text.Append(row).Append('\n');
        }

        foreach (var diagnostic in census.NewDiagnostics)
        {
            text.Append("| new diagnostic | ").Append(diagnostic).Append(" | | |\n");
        }

        return text.ToString();
    }

    /// <summary>The recorded section <paramref name="name"/>, with each table row's reason column cut off (and required).</summary>
    public static string Read(string name)
    {
        var page = File.ReadAllText(RepositoryRoot.PathOf("docs", "adoption.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = page.IndexOf("<!-- adoption:" + name + " -->\n", StringComparison.Ordinal);
        var end = page.IndexOf("<!-- /adoption:" + name + " -->", StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            return "(docs/adoption.md has no section " + name + ")";
        }

        var section = page.Substring(start, end - start).Split('\n').Skip(1);
        var text = new StringBuilder();
        foreach (var line in section)
        {
            if (line.StartsWith("| ", StringComparison.Ordinal) && line.Count(c => c == '|') == 6)
            {
                // A recorded row: | result | place | hand | inferred | why |; the why must say something.
                var why = line.Substring(line.LastIndexOf('|', line.Length - 2) + 1).TrimEnd('|').Trim();
                var kept = line.Substring(0, line.LastIndexOf('|', line.Length - 2) + 1);
                text.Append(why.Length == 0 && !kept.StartsWith("| result", StringComparison.Ordinal) ? kept + " (no reason given)" : kept).Append('\n');
            }
            else if (line.Length > 0 || text.Length > 0)
            {
                text.Append(line).Append('\n');
            }
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }
}
