using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Tests.CodeFixes.Harness;
using Xunit;

namespace MmuGuard.Analyzers.Tests.CodeFixes;

/// <summary>Fix All as <c>dotnet format analyzers --diagnostics MMU0002 MMU0004 MMU0005 MMU0016</c> drives it, several IDs in one run.</summary>
public sealed class FixAllAcrossRulesTests
{
    private static readonly CodeFixProvider[] Fixers =
    {
        new UnconditionalPinFixer(), new NotifierSequenceFixer(), new PinLeakFixer(), new UnannotatedPageReturnFixer(),
    };

    /// <summary>The leak comes first in the file, so every other ID's run starts from a diagnostic its fixer does not fix.</summary>
    private const string FourRules = FixWorld.Api + @"
public static class Scenario
{
    public static void Leak(Mm mm, bool c1, ulong hva)
    {
        var pfn = mm.GetUserPages(hva);
        if (c1) return;
        mm.Put(pfn);
    }

    public static void Pin(Mm mm, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        mm.Get(pfn);
        mm.Log(""pinned"");
        mm.Put(pfn);
    }

    public static void Fault(Mm mm, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        mm.Install(1, pfn);
    }

    public static void SecondFault(Mm mm, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        mm.Install(2, pfn);
    }

    public static Pfn Backing(Mm mm, ulong hva) => mm.GetUserPages(hva);
}
";

    [Theory]
    [InlineData("MMU0002", "MMU0004", "MMU0005", "MMU0016")]
    [InlineData("MMU0016", "MMU0005", "MMU0004", "MMU0002")]
    [InlineData("MMU0004", "MMU0016", "MMU0002", "MMU0005")]
    public async Task Every_requested_ID_gets_a_Fix_All_action_and_is_fixed(string first, string second, string third, string fourth)
    {
        var (run, skipped) = await FixRun.FormatAsync(FourRules, Fixers, first, second, third, fourth);

        Assert.Empty(skipped);
        Assert.True(run.Errors.IsEmpty, string.Join("\n", run.Errors) + "\n" + run.After);
        Assert.Equal(1, run.Count("MMU0005", after: false));
        Assert.Equal(1, run.Count("MMU0002", after: false));
        Assert.Equal(2, run.Count("MMU0004", after: false));
        Assert.Equal(1, run.Count("MMU0016", after: false));
        foreach (var id in new[] { "MMU0002", "MMU0004", "MMU0005", "MMU0016" })
        {
            Assert.True(run.Count(id) == 0, id + " is still reported\n" + run.After);
        }
    }
}
