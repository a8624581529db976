using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using MmuGuard.Analyzers.Tests.Realistic.Suite;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Realistic;

/// <summary>How the realistic suite judges a diagnostic against the markers of its port.</summary>
public sealed class PrecisionScoreTests
{
    private const string Marked = """
        class C
        {
            void M(Pfn pfn, Pfn other)
            {
                Pin({|MMU0002:pfn|});
                Write({|MMU0001:other|});
            }
        }
        """;

    private static readonly RealisticCase Port = RealisticCase.Load("area/m.v1.0.buggy", CaseKind.Buggy, Marked);

    [Fact]
    public void A_diagnostic_of_the_marked_id_on_the_marked_span_is_a_true_positive()
    {
        var findings = Judge(("MMU0002", "pfn", 1));

        Assert.Contains(findings, f => f is { Verdict: Verdict.TP, Rule: "MMU0002", Line: 5, Text: "pfn" });
    }

    [Fact]
    public void A_marker_no_diagnostic_matched_is_a_miss()
    {
        var findings = Judge(("MMU0002", "pfn", 1));

        Assert.Contains(findings, f => f is { Verdict: Verdict.FN, Rule: "MMU0001", Line: 6, Text: "other" });
    }

    [Fact]
    public void The_right_id_in_the_wrong_place_is_a_false_alarm_and_a_miss()
    {
        var findings = Judge(("MMU0002", "Pin", 0), ("MMU0001", "other", 1));

        Assert.Contains(findings, f => f is { Verdict: Verdict.FP, Rule: "MMU0002", Text: "Pin" });
        Assert.Contains(findings, f => f is { Verdict: Verdict.FN, Rule: "MMU0002", Text: "pfn" });
        Assert.Contains(findings, f => f is { Verdict: Verdict.TP, Rule: "MMU0001" });
    }

    [Fact]
    public void The_table_counts_each_rule_and_all_rules()
    {
        var table = PrecisionScore.Table(Judge(("MMU0002", "pfn", 1), ("MMU0005", "C", 0)));

        Assert.Contains("| MMU0002 | 1 | 0 | 0 | 100.0 % | 100.0 % |", table.Select(row => row.Row));
        Assert.Contains("| MMU0005 | 0 | 1 | 0 | 0.0 % | n/a |", table.Select(row => row.Row));
        Assert.Equal("| all | 1 | 1 | 1 | 50.0 % | 50.0 % |", table[^1].Row);
    }

    /// <summary>Judges the port against diagnostics placed on the <c>occurrence</c>-th appearance of <c>text</c>.</summary>
    private static IReadOnlyList<Finding> Judge(params (string Id, string Text, int Occurrence)[] reported)
    {
        var tree = CSharpSyntaxTree.ParseText(Port.Source, path: Port.Name + ".cs");
        var diagnostics = reported.Select(r =>
        {
            var start = -1;
            for (var i = 0; i <= r.Occurrence; i++)
            {
                start = Port.Source.IndexOf(r.Text, start + 1, System.StringComparison.Ordinal);
            }

            var descriptor = new DiagnosticDescriptor(r.Id, r.Id, r.Id, "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
            return Diagnostic.Create(descriptor, Location.Create(tree, new TextSpan(start, r.Text.Length)));
        }).ToArray();
        var run = new SuiteRun(
            new[] { Port },
            System.Array.Empty<string>(),
            System.Array.Empty<string>(),
            new Dictionary<string, IReadOnlyList<Diagnostic>> { [Port.Name] = diagnostics });
        return PrecisionScore.Judge(run);
    }
}
