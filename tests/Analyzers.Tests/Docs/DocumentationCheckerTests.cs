using System;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Docs;

/// <summary>The docs check itself: it reads fences as the convention says and fails a block that breaks its promise.</summary>
public sealed class DocumentationCheckerTests
{
    private const string CleanFile = """
        using MmuGuard.Physical;

        public static class Boot
        {
            public static int Frames(PhysicalMemory memory) => memory.PageCount;
        }
        """;

    private const string LeakingFile = """
        using MmuGuard.Physical;

        public static class Boot
        {
            public static void Leak(PhysicalMemory memory)
            {
                var pfn = memory.Allocate();
                System.Console.WriteLine(pfn);
            }
        }
        """;

    [Theory]
    [InlineData("csharp", BlockKind.Compiled)]
    [InlineData("csharp fragment", BlockKind.Fragment)]
    [InlineData("csharp expect=MMU0005", BlockKind.CompiledWithExpectedDiagnostics)]
    public void AFenceInfoStringChoosesHowTheBlockIsChecked(string info, BlockKind kind)
    {
        var reading = new DocumentationBlock("page.md", 1, info, string.Empty).Reading;
        Assert.Null(reading.Error);
        Assert.Equal(kind, reading.Kind);
    }

    [Theory]
    [InlineData("cs")]
    [InlineData("c#")]
    [InlineData("csharp expect=CS0103")]
    [InlineData("csharp snippet")]
    public void AFenceTheConventionDoesNotNameIsReported(string info) =>
        Assert.NotNull(new DocumentationBlock("page.md", 1, info, string.Empty).Reading.Error);

    [Fact]
    public void ExpectedIdsAreReadAsASortedSet() =>
        Assert.Equal(new[] { "MMU0005", "MMU0006" }, new DocumentationBlock("p.md", 1, "csharp expect=MMU0006,MMU0005,MMU0005", string.Empty).Reading.ExpectedIds);

    [Fact]
    public void TheReaderFindsCSharpBlocksWithTheirFenceLine()
    {
        var blocks = MarkdownCSharpBlocks.Read("p.md", "# Title\n\n```sh\ndotnet build\n```\n\n```csharp fragment\nvar x = 1;\n```\n");
        var block = Assert.Single(blocks);
        Assert.Equal("p.md:7", block.Location);
        Assert.Equal("var x = 1;\n", block.Code);
    }

    [Fact]
    public void ACleanFileKeepsAPlainFencesPromise() =>
        Assert.Empty(DocumentationCompiler.Compile(CleanFile).ProblemsAgainst(Array.Empty<string>()));

    [Fact]
    public void AFileThatDoesNotCompileBreaksItsPromise() =>
        Assert.Contains(
            DocumentationCompiler.Compile(CleanFile.Replace("memory.PageCount", "memory.NoSuchMember", StringComparison.Ordinal)).ProblemsAgainst(Array.Empty<string>()),
            problem => problem.Contains("CS1061", StringComparison.Ordinal));

    [Fact]
    public void AnUnexpectedDiagnosticBreaksAPlainFencesPromise() =>
        Assert.NotEmpty(DocumentationCompiler.Compile(LeakingFile).ProblemsAgainst(Array.Empty<string>()));

    [Fact]
    public void TheExpectedDiagnosticKeepsAnExpectFencesPromise() =>
        Assert.Empty(DocumentationCompiler.Compile(LeakingFile).ProblemsAgainst(new[] { "MMU0005" }));

    [Fact]
    public void AMissingExpectedDiagnosticBreaksAnExpectFencesPromise() =>
        Assert.NotEmpty(DocumentationCompiler.Compile(CleanFile).ProblemsAgainst(new[] { "MMU0005" }));
}
