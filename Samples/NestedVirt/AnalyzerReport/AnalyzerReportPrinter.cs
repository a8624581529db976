using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MmuGuard.Samples.NestedVirt.AnalyzerReport;

/// <summary>Prints a <see cref="SampleAnalysis"/>: each diagnostic, a count per rule, and how it compares with the markers.</summary>
internal static class AnalyzerReportPrinter
{
    /// <summary>
    /// Prints the analysis and returns whether it came out as the sources say it should: the sample compiled, and
    /// the diagnostics are exactly those its <c>// expect:</c> markers name (none for a clean sample).
    /// </summary>
    public static bool Print(TextWriter output, SampleAnalysis analysis, IReadOnlyList<string> ruleIds)
    {
        output.WriteLine();
        output.WriteLine($"== Analyzer report: {analysis.Name} ({analysis.Sources.Count} files, {analysis.Diagnostics.Count} MmuGuard diagnostics) ==");
        foreach (var error in analysis.CompileErrors)
        {
            output.WriteLine("  compile error: " + error);
        }

        foreach (var diagnostic in analysis.Diagnostics)
        {
            output.WriteLine($"  {diagnostic.Id}  {diagnostic.Path}:{diagnostic.Line}  {diagnostic.Message}");
        }

        var expected = analysis.Expected();
        output.WriteLine();
        output.WriteLine("  rule     reported  marked");
        foreach (var id in ruleIds)
        {
            var reported = analysis.Diagnostics.Count(d => d.Id == id);
            var marked = expected.Count(e => e.Id == id);
            output.WriteLine($"  {id,-8} {reported,8}  {marked,6}");
        }

        var reportedKeys = analysis.Diagnostics.Select(d => d.Key).ToHashSet();
        var expectedKeys = expected.ToHashSet();
        var missing = expectedKeys.Where(e => !reportedKeys.Contains(e)).ToList();
        var unexpected = reportedKeys.Where(r => !expectedKeys.Contains(r)).ToList();
        foreach (var (id, path, line) in missing)
        {
            output.WriteLine($"  MISSING    {id} at {path}:{line} (marked, not reported)");
        }

        foreach (var (id, path, line) in unexpected)
        {
            output.WriteLine($"  UNEXPECTED {id} at {path}:{line} (reported, not marked)");
        }

        var matches = analysis.CompileErrors.Count == 0 && missing.Count == 0 && unexpected.Count == 0;
        output.WriteLine(matches
            ? $"  => matches the source markers exactly ({expectedKeys.Count} marked)."
            : $"  => DOES NOT match the source markers: {missing.Count} missing, {unexpected.Count} unexpected, {analysis.CompileErrors.Count} compile errors.");
        return matches;
    }

    /// <summary>The MmuGuard rule IDs the loaded analyzers support, in order.</summary>
    public static IReadOnlyList<string> RuleIds(MmuGuardComponents components) =>
        components.Analyzers
            .SelectMany(a => a.SupportedDiagnostics)
            .Select(d => d.Id)
            .Where(id => id.StartsWith("MMU", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
}
