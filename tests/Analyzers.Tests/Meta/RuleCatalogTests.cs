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
    public void The_assembly_exports_analyzers() =>
        Assert.NotEmpty(ShippedRules.Analyzers);

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Every_rule_has_a_doc_page(string id) =>
        Assert.True(File.Exists(RepositoryRoot.PathOf("docs", "rules", id + ".md")), $"docs/rules/{id}.md is missing");

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Every_rule_is_listed_in_the_rules_index(string id) =>
        Assert.Contains("(" + id + ".md)", File.ReadAllText(RepositoryRoot.PathOf("docs", "rules", "README.md")), StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Every_rule_doc_page_starts_with_its_id_and_title(string id)
    {
        var descriptor = ShippedRules.Descriptors.First(d => d.Id == id);
        var firstLine = File.ReadLines(RepositoryRoot.PathOf("docs", "rules", id + ".md")).FirstOrDefault();
        Assert.Equal("# " + id + ": " + descriptor.Title, firstLine);
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Every_rule_is_tracked_in_the_release_files(string id)
    {
        var tracked = ReleaseTrackedIds();
        Assert.True(tracked.Contains(id), $"{id} is in neither AnalyzerReleases.Shipped.md nor AnalyzerReleases.Unshipped.md");
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Every_help_link_ends_in_the_rule_page(string id)
    {
        foreach (var descriptor in ShippedRules.Descriptors.Where(d => d.Id == id))
        {
            Assert.EndsWith("docs/rules/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(ShippedRules.Ids), MemberType = typeof(ShippedRules))]
    public void Every_doc_page_says_whether_the_rule_has_a_code_fix(string id)
    {
        var fixable = ShippedRules.FixableIds().Contains(id);
        var page = File.ReadAllText(RepositoryRoot.PathOf("docs", "rules", id + ".md"));
        Assert.Contains("| Code fix | " + (fixable ? "yes" : "no") + " |", page, StringComparison.Ordinal);
    }

    [Fact]
    public void No_two_descriptors_share_an_id()
    {
        var all = ShippedRules.Descriptors.Concat(ShippedRules.DeclaredDescriptors()).Distinct().ToArray();
        var shared = all.GroupBy(d => d.Id).Where(group => group.Count() > 1).Select(group => group.Key).ToArray();
        Assert.True(shared.Length == 0, "IDs used by more than one descriptor: " + string.Join(", ", shared));
    }

    [Fact]
    public void Every_descriptor_id_is_declared_in_DiagnosticIds()
    {
        var declared = new HashSet<string>(ShippedRules.DeclaredIds(), StringComparer.Ordinal);
        var undeclared = ShippedRules.Descriptors.Select(d => d.Id).Where(id => !declared.Contains(id)).ToArray();
        Assert.True(undeclared.Length == 0, "IDs not in DiagnosticIds: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void DiagnosticIds_declares_each_id_once()
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
