using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>
/// The rules index and every rule page say what the descriptors say: title, severity, category, the analyzer that
/// reports the rule, whether a code fix exists, and the description an IDE shows. A descriptor change that the docs
/// do not follow fails here, with the text the docs should carry.
/// </summary>
public sealed class RuleDocumentationTests
{
    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Rules_index_row_matches_the_descriptor(string id)
    {
        var expected = IndexRow(DescriptorOf(id));
        var row = IndexRows().FirstOrDefault(line => line.StartsWith("| [" + id + "]", StringComparison.Ordinal));
        Assert.True(expected == row, $"docs/rules/README.md should have the row\n{expected}\nbut has\n{row ?? "(none)"}");
    }

    [Fact]
    public void Rules_index_lists_no_rule_the_analyzers_do_not_ship()
    {
        var shipped = new HashSet<string>(ShippedRules.Descriptors.Select(d => d.Id), StringComparer.Ordinal);
        var stale = IndexRows()
            .Select(line => line.Substring(3, line.IndexOf(']') - 3))
            .Where(id => !shipped.Contains(id))
            .ToArray();
        Assert.True(stale.Length == 0, "docs/rules/README.md lists rules no analyzer reports: " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Rule_page_properties_table_matches_the_descriptor(string id)
    {
        var descriptor = DescriptorOf(id);
        var page = PageLines(id);
        Assert.Contains("| ID | `" + id + "` |", page);
        Assert.Contains("| Severity | " + descriptor.DefaultSeverity + " |", page);
        Assert.Contains("| Category | `" + descriptor.Category + "` |", page);
        var analyzerRow = page.FirstOrDefault(line => line.StartsWith("| Analyzer | ", StringComparison.Ordinal));
        Assert.True(
            analyzerRow is not null && analyzerRow.StartsWith("| Analyzer | `" + AnalyzerNameOf(id) + "`", StringComparison.Ordinal),
            $"docs/rules/{id}.md: the Analyzer row should name `{AnalyzerNameOf(id)}`, but is {analyzerRow ?? "(missing)"}");
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Rule_page_description_is_the_descriptors_description(string id)
    {
        var expected = DescriptorOf(id).Description.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var section = SectionText(PageLines(id), "## Description");
        Assert.True(
            expected == section,
            $"docs/rules/{id}.md: the '## Description' section should read (wrapped as you like)\n{expected}\nbut reads\n{section ?? "(missing)"}");
    }

    private static DiagnosticDescriptor DescriptorOf(string id) => ShippedRules.Descriptors.First(d => d.Id == id);

    private static string IndexRow(DiagnosticDescriptor descriptor) =>
        $"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.Title} | {descriptor.DefaultSeverity} | `{descriptor.Category}` | "
        + (ShippedRules.FixableIds().Contains(descriptor.Id) ? "yes" : "no") + " |";

    private static IReadOnlyList<string> IndexRows() =>
        File.ReadLines(RepositoryRoot.PathOf("docs", "rules", "README.md"))
            .Where(line => line.StartsWith("| [MMU", StringComparison.Ordinal))
            .ToArray();

    private static string[] PageLines(string id) => File.ReadAllLines(RepositoryRoot.PathOf("docs", "rules", id + ".md"));

    /// <summary>The name of the analyzer type that reports <paramref name="id"/>.</summary>
    private static string AnalyzerNameOf(string id) =>
        ShippedRules.Analyzers.First(analyzer => analyzer.SupportedDiagnostics.Any(d => d.Id == id)).GetType().Name;

    /// <summary>The paragraph under <paramref name="heading"/>, its lines joined by single spaces; null without the heading.</summary>
    private static string? SectionText(string[] lines, string heading)
    {
        var start = Array.IndexOf(lines, heading);
        if (start < 0)
        {
            return null;
        }

        var body = lines.Skip(start + 1)
            .SkipWhile(string.IsNullOrWhiteSpace)
            .TakeWhile(line => !string.IsNullOrWhiteSpace(line) && !line.StartsWith("#", StringComparison.Ordinal))
            .Select(line => line.Trim());
        return string.Join(" ", body);
    }
}
