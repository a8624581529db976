using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Consumers;

/// <summary>The SARIF 2.1 log of a consumer build (<c>-p:ErrorLog=…%2Cversion=2.1</c>) carries results and rule metadata.</summary>
[Collection(PackageCollection.Name)]
public sealed class SarifLogTests
{
    private const string HelpLinkBase = "https://github.com/mmuguard/mmuguard/blob/main/docs/rules/";

    private readonly PackageFixture _fixture;

    public SarifLogTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Sarif_holds_a_result_at_every_marked_location()
    {
        var build = SharedBuilds.BuggySim(_fixture);
        using var sarif = ReadSarif(build);
        var results = Run(sarif).GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString()!.StartsWith("MMU", StringComparison.Ordinal))
            .Select(r => ResultLocation(r, build.Project.Folder))
            .ToHashSet();

        var missing = MarkedDiagnostics.In(build.Project.Folder).Where(e => !results.Contains(e)).ToList();

        Assert.True(missing.Count == 0, "Not in the SARIF log: " + string.Join("; ", missing));
    }

    [Fact]
    public void Sarif_rules_carry_title_description_category_and_the_help_uri_of_their_rule_page()
    {
        var build = SharedBuilds.BuggySim(_fixture);
        using var sarif = ReadSarif(build);
        var rules = Run(sarif).GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Where(r => r.GetProperty("id").GetString()!.StartsWith("MMU", StringComparison.Ordinal))
            .ToList();
        var ruleIds = rules.Select(r => r.GetProperty("id").GetString()!).ToHashSet();

        // The log describes every rule the analyzers support, reported or not; the marked ones must be among them.
        var undescribed = MarkedDiagnostics.In(build.Project.Folder).Select(d => d.Id).Where(id => !ruleIds.Contains(id)).Distinct().ToList();
        Assert.True(undescribed.Count == 0, "No rule metadata for: " + string.Join(", ", undescribed));
        foreach (var rule in rules)
        {
            var id = rule.GetProperty("id").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("shortDescription").GetProperty("text").GetString()), id);
            Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("fullDescription").GetProperty("text").GetString()), id);
            Assert.StartsWith("MmuGuard.", rule.GetProperty("properties").GetProperty("category").GetString(), StringComparison.Ordinal);
            Assert.Equal(HelpLinkBase + id + ".md", rule.GetProperty("helpUri").GetString());
        }
    }

    [Fact]
    public void Every_help_uri_names_a_rule_page_that_exists_in_the_repository()
    {
        var build = SharedBuilds.BuggySim(_fixture);
        using var sarif = ReadSarif(build);
        var pages = Run(sarif).GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Select(r => r.GetProperty("helpUri").GetString()!)
            .Where(uri => uri.StartsWith(HelpLinkBase, StringComparison.Ordinal))
            .Select(uri => uri.Substring(HelpLinkBase.Length))
            .ToList();

        Assert.NotEmpty(pages);
        var absent = pages.Where(page => !File.Exists(Path.Combine(Repository.RuleDocs, page))).ToList();
        Assert.True(absent.Count == 0, "No page under docs/rules for: " + string.Join(", ", absent));
    }

    private static JsonDocument ReadSarif(ConsumerBuild build)
    {
        var path = Path.Combine(build.Project.Folder, SharedBuilds.SarifFileName);
        Assert.True(File.Exists(path), "The build wrote no SARIF log.\n" + build.Result.Describe());
        var sarif = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        return sarif;
    }

    private static JsonElement Run(JsonDocument sarif) => sarif.RootElement.GetProperty("runs")[0];

    private static ExpectedDiagnostic ResultLocation(JsonElement result, string projectFolder)
    {
        var physical = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        var file = new Uri(physical.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath;
        var line = physical.GetProperty("region").GetProperty("startLine").GetInt32();
        return new ExpectedDiagnostic(result.GetProperty("ruleId").GetString()!, SourceFiles.Relative(projectFolder, file), line);
    }
}
