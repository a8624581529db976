using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Consumers;

/// <summary>A consumer copy of the clean NestedVirt sample builds against the package with no MmuGuard diagnostic.</summary>
[Collection(PackageCollection.Name)]
public sealed class CleanSampleConsumerTests
{
    private readonly PackageFixture _fixture;

    public CleanSampleConsumerTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Clean_sample_builds_with_its_generated_bookkeeping_and_no_MmuGuard_diagnostic()
    {
        var consumer = SampleConsumers.NestedVirt(_fixture, "nestedvirt");

        var result = consumer.Build();

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.False(BuildDiagnostics.MentionsAnyRule(result.Output), result.Describe());
    }
}
