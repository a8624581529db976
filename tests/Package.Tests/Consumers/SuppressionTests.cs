using System.Linq;
using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Consumers;

/// <summary><c>#pragma warning disable</c> and <c>[SuppressMessage]</c> silence single occurrences in a command-line build.</summary>
[Collection(PackageCollection.Name)]
public sealed class SuppressionTests
{
    private readonly PackageFixture _fixture;

    public SuppressionTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Pragma_and_SuppressMessage_silence_their_occurrence_and_leave_the_unsuppressed_one()
    {
        var consumer = _fixture.CreateConsumer("suppressions")
            .WriteFile("Program.cs", ConsumerSources.EmptyProgram)
            .WriteFile("FollowPtePins.cs", ConsumerSources.PinOfFollowPtePage);

        var result = consumer.Build();

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(
            MarkedDiagnostics.In(consumer.Folder).OrderBy(d => d.ToString()),
            BuildDiagnostics.Parse(result.Output, consumer.Folder, "warning").OrderBy(d => d.ToString()));
    }
}
