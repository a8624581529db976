using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>The first release's rules are recorded as shipped, each with its category, severity and doc link.</summary>
public sealed class ReleaseTrackingTests
{
    private const string FirstRelease = "## Release 0.1.0";

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void EveryRuleIsShippedInTheFirstRelease(string id) =>
        Assert.True(FirstReleaseRows().ContainsKey(id), $"{id} has no row under '{FirstRelease}' in AnalyzerReleases.Shipped.md");

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void EveryShippedRowMatchesItsDescriptor(string id)
    {
        var descriptor = ShippedRules.Descriptors.First(d => d.Id == id);
        var cells = FirstReleaseRows()[id];
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void EveryShippedRowLinksTheRulePage(string id)
    {
        var descriptor = ShippedRules.Descriptors.First(d => d.Id == id);
        Assert.Contains("[Documentation](" + descriptor.HelpLinkUri + ")", FirstReleaseRows()[id][3], StringComparison.Ordinal);
    }

    [Fact]
    public void NothingIsLeftUnshippedThatShipped()
    {
        var unshipped = File.ReadLines(ReleaseFile("AnalyzerReleases.Unshipped.md"))
            .Where(line => line.StartsWith("MMU", StringComparison.Ordinal))
            .Select(line => line.Split('|')[0].Trim())
            .Where(FirstReleaseRows().ContainsKey)
            .ToArray();
        Assert.True(unshipped.Length == 0, "Listed as both shipped and unshipped: " + string.Join(", ", unshipped));
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
            else if (inFirstRelease && line.StartsWith("MMU", StringComparison.Ordinal))
            {
                var cells = line.Split('|').Select(cell => cell.Trim()).ToArray();
                rows[cells[0]] = cells;
            }
        }

        return rows;
    }

    private static string ReleaseFile(string name) => RepositoryFiles.PathOf("Analyzers", "MmuGuard.Analyzers", name);
}
