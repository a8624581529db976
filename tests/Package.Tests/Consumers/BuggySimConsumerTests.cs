using System.Linq;
using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Consumers;

/// <summary>A consumer copy of BuggySim, built against the packed package, reports exactly its marked bugs.</summary>
[Collection(PackageCollection.Name)]
public sealed class BuggySimConsumerTests
{
    private readonly PackageFixture _fixture;

    public BuggySimConsumerTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Markers_name_every_bug_class_rule_from_MMU0001_to_MMU0010()
    {
        var marked = MarkedDiagnostics.In(Repository.Samples).Select(d => d.Id).ToHashSet();

        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"MMU{n:0000}"), marked.Order());
    }

    [Fact]
    public void Build_succeeds_because_the_rules_are_warnings_by_default()
    {
        var build = SharedBuilds.BuggySim(_fixture);

        Assert.True(build.Result.ExitCode == 0, build.Result.Describe());
    }

    [Fact]
    public void Build_reports_every_marked_diagnostic_at_its_file_and_line()
    {
        var build = SharedBuilds.BuggySim(_fixture);
        var reported = BuildDiagnostics.Parse(build.Result.Output, build.Project.Folder, "warning");

        var missing = MarkedDiagnostics.In(build.Project.Folder).Where(e => !reported.Contains(e)).ToList();

        Assert.True(missing.Count == 0, $"Marked but not reported: {string.Join("; ", missing)}\n{build.Result.Describe()}");
    }

    [Fact]
    public void Build_reports_no_diagnostic_that_is_not_marked()
    {
        var build = SharedBuilds.BuggySim(_fixture);
        var marked = MarkedDiagnostics.In(build.Project.Folder);

        var unexpected = BuildDiagnostics.Parse(build.Result.Output, build.Project.Folder, "warning")
            .Where(r => !marked.Contains(r))
            .ToList();

        Assert.True(unexpected.Count == 0, $"Reported but not marked: {string.Join("; ", unexpected)}\n{build.Result.Describe()}");
    }
}
