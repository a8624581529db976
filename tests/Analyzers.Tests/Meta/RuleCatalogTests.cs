using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>Every rule is documented, release-tracked, linked to its page, and has one ID declared in one place.</summary>
public sealed class RuleCatalogTests
{
    [Fact]
    public void TheAssemblyExportsAnalyzers() =>
        Assert.NotEmpty(ShippedRules.Analyzers);

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void EveryRuleHasADocPage(string id) =>
        Assert.True(File.Exists(RepositoryRoot.PathOf("docs", "rules", id + ".md")), $"docs/rules/{id}.md is missing");

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void EveryRuleIsListedInTheRulesIndex(string id) =>
        Assert.Contains("(" + id + ".md)", File.ReadAllText(RepositoryRoot.PathOf("docs", "rules", "README.md")), StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void EveryRuleDocPageStartsWithItsIdAndTitle(string id)
    {
        var descriptor = ShippedRules.Descriptors.First(d => d.Id == id);
        var firstLine = File.ReadLines(RepositoryRoot.PathOf("docs", "rules", id + ".md")).FirstOrDefault();
        Assert.Equal("# " + id + ": " + descriptor.Title, firstLine);
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void EveryRuleIsTrackedInTheReleaseFiles(string id)
    {
        var tracked = ReleaseTrackedIds();
        Assert.True(tracked.Contains(id), $"{id} is in neither AnalyzerReleases.Shipped.md nor AnalyzerReleases.Unshipped.md");
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void EveryHelpLinkEndsInTheRulePage(string id)
    {
        foreach (var descriptor in ShippedRules.Descriptors.Where(d => d.Id == id))
        {
            Assert.EndsWith("docs/rules/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void EveryDocPageSaysWhetherTheRuleHasACodeFix(string id)
    {
        var fixable = ShippedRules.FixableIds().Contains(id);
        var page = File.ReadAllText(RepositoryRoot.PathOf("docs", "rules", id + ".md"));
        Assert.Contains("| Code fix | " + (fixable ? "yes" : "no") + " |", page, StringComparison.Ordinal);
    }

    [Fact]
    public void NoTwoDescriptorsShareAnId()
    {
        var all = ShippedRules.Descriptors.Concat(ShippedRules.DeclaredDescriptors()).Distinct().ToArray();
        var shared = all.GroupBy(d => d.Id).Where(group => group.Count() > 1).Select(group => group.Key).ToArray();
        Assert.True(shared.Length == 0, "IDs used by more than one descriptor: " + string.Join(", ", shared));
    }

    [Fact]
    public void EveryDescriptorIdIsDeclaredInDiagnosticIds()
    {
        var declared = new HashSet<string>(ShippedRules.DeclaredIds(), StringComparer.Ordinal);
        var undeclared = ShippedRules.Descriptors.Select(d => d.Id).Where(id => !declared.Contains(id)).ToArray();
        Assert.True(undeclared.Length == 0, "IDs not in DiagnosticIds: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void DiagnosticIdsDeclaresEachIdOnce()
    {
        var declared = ShippedRules.DeclaredIds();
        Assert.Equal(declared.Count, declared.Distinct(StringComparer.Ordinal).Count());
    }

    private static HashSet<string> ReleaseTrackedIds()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            foreach (var line in File.ReadLines(RepositoryRoot.PathOf("Analyzers", "MmuGuard.Analyzers", file)))
            {
                var cells = line.Split('|');
                if (cells.Length >= 3 && cells[0].Trim().StartsWith("MMU", StringComparison.Ordinal))
                {
                    ids.Add(cells[0].Trim());
                }
            }
        }

        return ids;
    }
}
