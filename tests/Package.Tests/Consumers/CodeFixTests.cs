using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Consumers;

/// <summary>The packed code fixes run under <c>dotnet format</c> in a consumer, as in an IDE.</summary>
[Collection(PackageCollection.Name)]
public sealed class CodeFixTests
{
    private readonly PackageFixture _fixture;

    public CodeFixTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Dotnet_format_applies_the_MMU0002_fix_and_the_rebuilt_project_no_longer_reports_it()
    {
        var consumer = _fixture.CreateConsumer("codefix-mmu0002")
            .WriteFile("Program.cs", ConsumerSources.EmptyProgram)
            .WriteFile("FaultPath.cs", ConsumerSources.UnconditionalPin);
        var before = consumer.Build();
        Assert.Contains(": warning MMU0002:", before.Output);

        var format = consumer.Format("analyzers", "--diagnostics", "MMU0002", "--severity", "info");
        var after = consumer.Build();

        Assert.True(format.ExitCode == 0, format.Describe());
        Assert.NotEqual(ConsumerSources.UnconditionalPin, consumer.ReadFile("FaultPath.cs"));
        Assert.True(after.ExitCode == 0, after.Describe());
        Assert.False(
            after.Output.Contains(": warning MMU0002:", System.StringComparison.Ordinal),
            "MMU0002 is still reported after 'dotnet format analyzers --diagnostics MMU0002'; is there a code fix for it in the package?\n"
            + format.Describe() + "\n" + consumer.ReadFile("FaultPath.cs") + "\n" + after.Describe());
    }
}
