using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>
/// Every rule has one release-tracking row, with its category, severity and doc link: the first release's rules under
/// "Release 0.1.0" in AnalyzerReleases.Shipped.md, rules added since in AnalyzerReleases.Unshipped.md.
/// </summary>
public sealed class ReleaseTrackingTests
{
    private const string FirstRelease = "## Release 0.1.0";

    /// <summary>The rules of the first release; a rule is never removed from it, only moved to a later release by a new row.</summary>
    private static readonly string[] FirstReleaseIds = Enumerable.Range(1, 16).Select(n => $"MMU{n:D4}").ToArray();

    [Fact]
    public void The_first_release_lists_exactly_its_sixteen_rules() =>
        Assert.Equal(FirstReleaseIds, FirstReleaseRows().Keys.OrderBy(id => id, StringComparer.Ordinal).ToArray());

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Every_rule_has_a_release_row(string id) =>
        Assert.True(
            AllRows().ContainsKey(id),
            $"{id} has no row in AnalyzerReleases.Shipped.md ('{FirstRelease}') or AnalyzerReleases.Unshipped.md");

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Every_release_row_matches_its_descriptor(string id)
    {
        var descriptor = ShippedRules.Descriptors.First(d => d.Id == id);
        var cells = AllRows()[id];
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Every_release_row_links_the_rule_page(string id)
    {
        var descriptor = ShippedRules.Descriptors.First(d => d.Id == id);
        Assert.Contains("[Documentation](" + descriptor.HelpLinkUri + ")", AllRows()[id][3], StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_left_unshipped_that_shipped()
    {
        var shipped = FirstReleaseRows();
        var both = UnshippedRows().Keys.Where(shipped.ContainsKey).ToArray();
        Assert.True(both.Length == 0, "Listed as both shipped and unshipped: " + string.Join(", ", both));
    }

    private static Dictionary<string, string[]> AllRows()
    {
        var rows = FirstReleaseRows();
        foreach (var pair in UnshippedRows())
        {
            rows[pair.Key] = pair.Value;
        }

        return rows;
    }

    /// <summary>Rule ID → trimmed cells of its row in the first release's "New Rules" table.</summary>
    private static Dictionary<string, string[]> FirstReleaseRows()
    {
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var inFirstRelease = false;
        foreach (var line in File.ReadLines(ReleaseFile("AnalyzerReleases.Shipped.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inFirstRelease = line.Trim() == FirstRelease;
            }
            else if (inFirstRelease)
            {
                AddRuleRow(rows, line);
            }
        }

        return rows;
    }

    private static Dictionary<string, string[]> UnshippedRows()
    {
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(ReleaseFile("AnalyzerReleases.Unshipped.md")))
        {
            AddRuleRow(rows, line);
        }

        return rows;
    }

    private static void AddRuleRow(Dictionary<string, string[]> rows, string line)
    {
        if (line.StartsWith("MMU", StringComparison.Ordinal))
        {
            var cells = line.Split('|').Select(cell => cell.Trim()).ToArray();
            rows[cells[0]] = cells;
        }
    }

    private static string ReleaseFile(string name) => RepositoryRoot.PathOf("Analyzers", "MmuGuard.Analyzers", name);
}
