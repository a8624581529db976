using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MmuGuard.Analyzers.Tests.Realistic.Suite;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Realistic;

/// <summary>
/// Precision and recall of every MmuGuard analyzer on C# ports of real KVM functions (Realistic/Cases): historical
/// buggy versions with their expected diagnostics marked, and fixed versions that must be silent. The score per rule
/// and every known false alarm or miss are recorded in docs/precision.md; any difference fails, so an improvement
/// must update the record and a regression cannot land unnoticed.
/// </summary>
public sealed class RealisticPrecisionTests
{
    [Fact]
    public async Task Every_port_and_the_api_compile_without_errors()
    {
        var run = await RealisticSuite.RunOnceAsync();

        Assert.True(run.CompileErrors.Count == 0, string.Join(Environment.NewLine, run.CompileErrors));
    }

    [Fact]
    public async Task No_analyzer_throws_on_any_port()
    {
        var run = await RealisticSuite.RunOnceAsync();

        Assert.True(run.AnalyzerExceptions.Count == 0, string.Join(Environment.NewLine, run.AnalyzerExceptions));
    }

    [Fact]
    public void The_suite_holds_at_least_fifty_ports_and_no_fewer_fixed_than_buggy()
    {
        var cases = RealisticSuite.LoadCases();
        var buggy = cases.Count(c => c.Kind == CaseKind.Buggy);
        var fixedPorts = cases.Count(c => c.Kind == CaseKind.Fixed);

        Assert.True(buggy + fixedPorts >= 50, "only " + (buggy + fixedPorts) + " ports");
        Assert.True(fixedPorts >= buggy, fixedPorts + " fixed ports for " + buggy + " buggy ones");
    }

    [Fact]
    public void Every_port_names_its_kernel_function_and_version_on_its_first_line()
    {
        var unnamed = RealisticSuite.LoadCases()
            .Where(c => c.Kind != CaseKind.Api && c.KernelFunction is null)
            .Select(c => c.Name)
            .ToArray();

        Assert.True(unnamed.Length == 0, "no '// <kernel file> <function>(), <version or commit>' first line: " + string.Join(", ", unnamed));
    }

    [Fact]
    public void Buggy_ports_mark_their_findings_and_fixed_ports_and_the_api_mark_none()
    {
        var cases = RealisticSuite.LoadCases();

        Assert.All(cases.Where(c => c.Kind == CaseKind.Buggy), c => Assert.True(c.Expected.Count > 0, c.Name + " marks no finding"));
        Assert.All(cases.Where(c => c.Kind != CaseKind.Buggy), c => Assert.True(c.Expected.Count == 0, c.Name + " must expect silence"));
    }

    [Fact]
    public async Task The_score_per_rule_is_the_one_recorded_in_docs_precision()
    {
        var table = PrecisionScore.Table(PrecisionScore.Judge(await RealisticSuite.RunOnceAsync()));
        var recorded = PrecisionRecord.ScoreRows(File.ReadAllText(PrecisionRecord.DocumentPath));

        var computed = table.Select(row => row.Row).ToArray();
        Assert.True(
            computed.SequenceEqual(recorded),
            "docs/precision.md records a different score; the suite now scores:" + Environment.NewLine + string.Join(Environment.NewLine, computed));
    }

    [Fact]
    public async Task Every_false_alarm_and_miss_is_recorded_in_docs_precision_with_what_it_needs()
    {
        var findings = PrecisionScore.Judge(await RealisticSuite.RunOnceAsync()).Where(f => f.Verdict != Verdict.TP).ToArray();
        var recorded = PrecisionRecord.Findings(File.ReadAllText(PrecisionRecord.DocumentPath));

        var unrecorded = findings.Where(f => recorded.All(r => r.Key != f.Key)).ToArray();
        var gone = recorded.Where(r => findings.All(f => f.Key != r.Key)).Select(r => r.Key).ToArray();
        Assert.True(
            unrecorded.Length == 0 && gone.Length == 0,
            "docs/precision.md is out of date." + Environment.NewLine
            + "Not recorded (add a row with its reason):" + Environment.NewLine
            + string.Join(Environment.NewLine, unrecorded.Select(f => PrecisionRecord.RowFor(f, "?"))) + Environment.NewLine
            + "Recorded but no longer found (remove):" + Environment.NewLine + string.Join(Environment.NewLine, gone));
        Assert.All(recorded, r => Assert.True(r.Items.Count > 0, "cites no issue-9 item (#1 … #10): " + r.Key));
    }

    [Fact]
    public void The_count_of_findings_per_issue_item_matches_the_recorded_reasons()
    {
        var document = File.ReadAllText(PrecisionRecord.DocumentPath);
        var implied = PrecisionRecord.ItemRowsFor(PrecisionRecord.Findings(document));

        Assert.Equal(implied, PrecisionRecord.ItemRows(document));
    }
}
