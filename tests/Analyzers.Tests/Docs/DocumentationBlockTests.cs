using System;
using System.Linq;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Docs;

/// <summary>
/// Every C# block of the README, docs/ and the package readme compiles against the Runtime with the generator and the
/// analyzers, and gives exactly the MMU diagnostics its fence promises (README.md, "Code in the docs", states the convention).
/// </summary>
public sealed class DocumentationBlockTests
{
    [Theory]
    [MemberData(nameof(DocumentationPages.CompiledBlockLocations), MemberType = typeof(DocumentationPages))]
    public void Every_compiled_block_gives_exactly_the_diagnostics_its_fence_names(string location)
    {
        var block = DocumentationPages.Blocks.Single(b => b.Location == location);
        var problems = DocumentationCompiler.Compile(block.Code).ProblemsAgainst(block.Reading.ExpectedIds);
        Assert.True(problems.Count == 0, location + ":\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_CSharp_fence_says_how_it_is_checked()
    {
        var unreadable = DocumentationPages.Blocks
            .Where(block => block.Reading.Error is not null)
            .Select(block => block.Location + " " + block.Reading.Error)
            .ToArray();
        Assert.True(unreadable.Length == 0, string.Join("\n", unreadable));
    }

    [Fact]
    public void The_getting_started_guide_is_compiled_not_just_shown()
    {
        var guide = DocumentationPages.Blocks.Where(block => block.Page == "docs/getting-started.md").ToArray();
        Assert.Contains(guide, block => block.Reading.Kind == BlockKind.Compiled);
        Assert.Contains(guide, block => block.Reading.Kind == BlockKind.CompiledWithExpectedDiagnostics);
    }
}
