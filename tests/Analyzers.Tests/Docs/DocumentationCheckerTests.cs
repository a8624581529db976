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
    public void A_fence_info_string_chooses_how_the_block_is_checked(string info, BlockKind kind)
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
    public void A_fence_the_convention_does_not_name_is_reported(string info) =>
        Assert.NotNull(new DocumentationBlock("page.md", 1, info, string.Empty).Reading.Error);

    [Fact]
    public void Expected_ids_are_read_as_a_sorted_set() =>
        Assert.Equal(new[] { "MMU0005", "MMU0006" }, new DocumentationBlock("p.md", 1, "csharp expect=MMU0006,MMU0005,MMU0005", string.Empty).Reading.ExpectedIds);

    [Fact]
    public void The_reader_finds_CSharp_blocks_with_their_fence_line()
    {
        var blocks = MarkdownCSharpBlocks.Read("p.md", "# Title\n\n```sh\ndotnet build\n```\n\n```csharp fragment\nvar x = 1;\n```\n");
        var block = Assert.Single(blocks);
        Assert.Equal("p.md:7", block.Location);
        Assert.Equal("var x = 1;\n", block.Code);
    }

    [Fact]
    public void A_clean_file_keeps_a_plain_fences_promise() =>
        Assert.Empty(DocumentationCompiler.Compile(CleanFile).ProblemsAgainst(Array.Empty<string>()));

    [Fact]
    public void A_file_that_does_not_compile_breaks_its_promise() =>
        Assert.Contains(
            DocumentationCompiler.Compile(CleanFile.Replace("memory.PageCount", "memory.NoSuchMember", StringComparison.Ordinal)).ProblemsAgainst(Array.Empty<string>()),
            problem => problem.Contains("CS1061", StringComparison.Ordinal));

    [Fact]
    public void An_unexpected_diagnostic_breaks_a_plain_fences_promise() =>
        Assert.NotEmpty(DocumentationCompiler.Compile(LeakingFile).ProblemsAgainst(Array.Empty<string>()));

    [Fact]
    public void The_expected_diagnostic_keeps_an_expect_fences_promise() =>
        Assert.Empty(DocumentationCompiler.Compile(LeakingFile).ProblemsAgainst(new[] { "MMU0005" }));

    [Fact]
    public void A_missing_expected_diagnostic_breaks_an_expect_fences_promise() =>
        Assert.NotEmpty(DocumentationCompiler.Compile(CleanFile).ProblemsAgainst(new[] { "MMU0005" }));
}
