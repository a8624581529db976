using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MmuGuard.Samples.NestedVirt.Story;

/// <summary>Prints the story's mappings as an aligned plain-text table.</summary>
internal static class SummaryTable
{
    private static readonly string[] Headers = { "mapping", "kept safe by", "gfn -> pfn", "pin", "outcome" };

    public static void Print(TextWriter output, IReadOnlyList<MappingOutcome> rows)
    {
        var cells = rows.Select(r => new[] { r.Mapping, r.Kind, r.Frames, r.Pin, r.Outcome }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        output.WriteLine();
        output.WriteLine("Summary");
        WriteRow(output, Headers, widths);
        WriteRow(output, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in cells)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths) =>
        output.WriteLine("  " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
}
