using System.Linq;
using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Consumers;

/// <summary>An <c>.editorconfig</c> in the consumer changes a rule's severity in the command-line build.</summary>
[Collection(PackageCollection.Name)]
public sealed class EditorConfigSeverityTests
{
    private readonly PackageFixture _fixture;

    public EditorConfigSeverityTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Raising_MMU0001_to_error_fails_the_build_on_exactly_its_marked_lines()
    {
        var consumer = SampleConsumers.BuggySim(_fixture, "buggysim-mmu0001-error")
            .WriteFile(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.MMU0001.severity = error\n");
        var marked = MarkedDiagnostics.In(consumer.Folder);

        var result = consumer.Build();

        Assert.True(result.ExitCode != 0, "The build should fail on MMU0001.\n" + result.Describe());
        Assert.Equal(
            marked.Where(d => d.Id == "MMU0001").OrderBy(d => d.ToString()),
            BuildDiagnostics.Parse(result.Output, consumer.Folder, "error").OrderBy(d => d.ToString()));
        Assert.Equal(
            marked.Where(d => d.Id != "MMU0001").OrderBy(d => d.ToString()),
            BuildDiagnostics.Parse(result.Output, consumer.Folder, "warning").OrderBy(d => d.ToString()));
    }

    [Fact]
    public void Category_severity_none_silences_every_ownership_rule_and_leaves_the_coverage_and_annotation_rules()
    {
        var ownershipRules = new[] { "MMU0002", "MMU0003", "MMU0005", "MMU0006", "MMU0007", "MMU0008" };
        var consumer = SampleConsumers.BuggySim(_fixture, "buggysim-ownership-off")
            .WriteFile(".editorconfig", "root = true\n\n[*.cs]\ndotnet_analyzer_diagnostic.category-MmuGuard.Ownership.severity = none\n");
        var marked = MarkedDiagnostics.In(consumer.Folder);

        var result = consumer.Build();

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(
            marked.Where(d => !ownershipRules.Contains(d.Id)).OrderBy(d => d.ToString()),
            BuildDiagnostics.Parse(result.Output, consumer.Folder, "warning").OrderBy(d => d.ToString()));
    }
}
