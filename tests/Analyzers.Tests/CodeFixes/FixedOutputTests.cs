using System.Threading.Tasks;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Tests.CodeFixes.Harness;
using Xunit;

namespace MmuGuard.Analyzers.Tests.CodeFixes;

/// <summary>
/// Each fix's output analysed again, compiled, and run beside the original: the diagnostic is gone, nothing fails to
/// compile, and the fixed method does what the original did except for the bug (issue 8's broken fixes among them).
/// </summary>
public sealed class FixedOutputTests
{
    private static readonly bool[] Both = { false, true };

    private static async Task<FixRun> FixAsync(string body, ContractCodeFixProvider fixer, string id)
    {
        var run = await FixRun.FirstFixAsync(FixWorld.Scenario(body), fixer, id);
        Assert.True(run.Count(id, after: false) > 0, "the scenario should report " + id + " before the fix\n" + run.Before);
        Assert.True(run.Errors.IsEmpty, string.Join("\n", run.Errors) + "\n" + run.After);
        Assert.True(run.Count(id) == 0, id + " is still reported after the fix\n" + run.After);
        return run;
    }

    /// <summary>With every pin granted, the fixed method logs and installs what the original did and holds the same pins.</summary>
    internal static void AssertSameBehaviourWhenPinsSucceed(FixRun run)
    {
        foreach (var c1 in Both)
        {
            foreach (var c2 in Both)
            {
                Assert.Equal(run.Execute(after: false, c1, c2), run.Execute(after: true, c1, c2));
            }
        }
    }

    /// <summary>Run for every condition, the fixed method holds no pin at exit and logs what the original did.</summary>
    internal static void AssertReleasedOnEveryExitWithTheSameSteps(FixRun run)
    {
        foreach (var c1 in Both)
        {
            foreach (var c2 in Both)
            {
                var fixedRun = run.Execute(after: true, c1, c2);
                Assert.Equal(0, fixedRun.Pins);
                Assert.Equal(run.Execute(after: false, c1, c2).Trace, fixedRun.Trace);
            }
        }
    }

    [Fact]
    public async Task MMU0002_fix_on_the_then_branch_keeps_the_else_bound_to_its_if()
    {
        var run = await FixAsync(@"
        var pfn = mm.FollowPte(hva);
        if (c1) mm.Get(pfn); else mm.Log(""else"");
        mm.Log(""after"");", new UnconditionalPinFixer(), "MMU0002");

        AssertSameBehaviourWhenPinsSucceed(run);
        Assert.Equal("else,after", run.Execute(after: true, c1: false, c2: false, refusePins: true).Trace);
    }

    [Fact]
    public async Task MMU0002_fix_on_a_loop_body_keeps_the_loop_body_one_statement()
    {
        var run = await FixAsync(@"
        var pfn = mm.FollowPte(hva);
        for (var i = 0; i < 2; i++)
            mm.Get(pfn);
        mm.Put(pfn);
        mm.Put(pfn);
        mm.Log(""after"");", new UnconditionalPinFixer(), "MMU0002");

        AssertSameBehaviourWhenPinsSucceed(run);
    }

    [Fact]
    public async Task MMU0002_fix_inside_a_lambda_returns_from_the_lambda()
    {
        var run = await FixAsync(@"
        System.Action pin = () =>
        {
            var pfn = mm.FollowPte(hva);
            mm.Get(pfn);
            mm.Log(""pinned"");
            mm.Put(pfn);
        };
        if (c1) pin();
        mm.Log(""after"");", new UnconditionalPinFixer(), "MMU0002");

        AssertSameBehaviourWhenPinsSucceed(run);
        Assert.Equal("after", run.Execute(after: true, c1: true, c2: false, refusePins: true).Trace);
    }

    [Fact]
    public async Task MMU0002_fix_inside_a_local_function_returns_from_the_local_function()
    {
        var run = await FixAsync(@"
        if (c1) Pin();
        mm.Log(""after"");

        void Pin()
        {
            var pfn = mm.FollowPte(hva);
            mm.Get(pfn);
            mm.Log(""pinned"");
            mm.Put(pfn);
        }", new UnconditionalPinFixer(), "MMU0002");

        AssertSameBehaviourWhenPinsSucceed(run);
        Assert.Equal("after", run.Execute(after: true, c1: true, c2: false, refusePins: true).Trace);
    }

    [Fact]
    public async Task MMU0002_fix_on_a_labelled_pin_keeps_the_label_a_goto_target()
    {
        var run = await FixAsync(@"
        var pfn = mm.FollowPte(hva);
        if (c1) goto pin;
        mm.Log(""skipped"");
        pin: mm.Get(pfn);
        mm.Log(""after"");
        mm.Put(pfn);", new UnconditionalPinFixer(), "MMU0002");

        AssertSameBehaviourWhenPinsSucceed(run);
    }

    [Fact]
    public async Task MMU0004_fix_points_a_retry_check_on_a_late_snapshot_at_one_taken_before_the_resolve()
    {
        var run = await FixAsync(@"
        var pfn = mm.FollowPte(hva);
        var seq = mm.ReadSequence();
        if (mm.MustRetry(seq))
        {
            mm.Log(""retry"");
            return;
        }

        mm.Install(1, pfn);", new NotifierSequenceFixer(), "MMU0004");

        AssertSameBehaviourWhenPinsSucceed(run);
        Assert.Equal(1, run.Execute(after: false, c1: false, c2: false, invalidateDuringResolve: true).Installs);
        var fixedRun = run.Execute(after: true, c1: false, c2: false, invalidateDuringResolve: true);
        Assert.Equal(0, fixedRun.Installs);
        Assert.Equal("retry", fixedRun.Trace);
        Assert.DoesNotContain("var seq =", run.After, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task MMU0004_fix_does_not_reuse_a_snapshot_whose_block_has_closed()
    {
        var run = await FixAsync(@"
        {
            var seq = mm.ReadSequence();
            mm.Log(""read "" + seq);
        }

        var pfn = mm.FollowPte(hva);
        mm.Install(1, pfn);", new NotifierSequenceFixer(), "MMU0004");

        AssertSameBehaviourWhenPinsSucceed(run);
        Assert.Equal(0, run.Execute(after: true, c1: false, c2: false, invalidateDuringResolve: true).Installs);
    }

    [Fact]
    public async Task MMU0004_fix_does_not_reuse_a_snapshot_taken_on_one_branch_only()
    {
        var run = await FixAsync(@"
        if (c1)
        {
            var seq = mm.ReadSequence();
            mm.Log(""read "" + seq);
        }

        var pfn = mm.FollowPte(hva);
        mm.Install(1, pfn);", new NotifierSequenceFixer(), "MMU0004");

        AssertSameBehaviourWhenPinsSucceed(run);
        Assert.Equal(0, run.Execute(after: true, c1: true, c2: false, invalidateDuringResolve: true).Installs);
        Assert.Equal(0, run.Execute(after: true, c1: false, c2: false, invalidateDuringResolve: true).Installs);
    }

    [Fact]
    public async Task MMU0004_fix_before_an_install_that_is_an_if_body_keeps_both_under_the_if()
    {
        var run = await FixAsync(@"
        var seq = mm.ReadSequence();
        var pfn = mm.FollowPte(hva);
        if (c1) mm.Install(1, pfn);
        mm.Log(""after"");", new NotifierSequenceFixer(), "MMU0004");

        AssertSameBehaviourWhenPinsSucceed(run);
        Assert.Equal(0, run.Execute(after: true, c1: true, c2: false, invalidateDuringResolve: true).Installs);
    }

    [Fact]
    public async Task MMU0004_fix_names_its_snapshot_apart_from_a_later_local_called_sequence()
    {
        var run = await FixAsync(@"
        var pfn = mm.FollowPte(hva);
        mm.Install(1, pfn);
        if (c1)
        {
            var sequence = 2;
            mm.Log(""later "" + sequence);
        }", new NotifierSequenceFixer(), "MMU0004");

        AssertSameBehaviourWhenPinsSucceed(run);
    }

    [Fact]
    public async Task MMU0005_fix_ends_the_try_before_a_label_that_a_goto_from_before_the_pin_targets()
    {
        var run = await FixAsync(@"
        if (c1) goto done;
        var pfn = mm.GetUserPages(hva);
        mm.Log(""pinned"");
        if (c2) return;
        done: mm.Log(""done"");", new PinLeakFixer(), "MMU0005");

        AssertReleasedOnEveryExitWithTheSameSteps(run);
    }

    [Fact]
    public async Task MMU0005_fix_keeps_a_local_function_called_before_the_pin_in_scope()
    {
        var run = await FixAsync(@"
        Note(""start"");
        var pfn = mm.GetUserPages(hva);
        if (c1) return;
        Note(""end"");

        void Note(string step) => mm.Log(step);", new PinLeakFixer(), "MMU0005");

        AssertReleasedOnEveryExitWithTheSameSteps(run);
    }

    [Fact]
    public async Task MMU0005_fix_releases_on_the_leaking_exit_and_drops_the_release_it_makes_redundant()
    {
        var run = await FixAsync(@"
        var pfn = mm.GetUserPages(hva);
        if (c1)
        {
            mm.Log(""early"");
            return;
        }

        mm.Log(""late"");
        mm.Put(pfn);", new PinLeakFixer(), "MMU0005");

        foreach (var c1 in Both)
        {
            Assert.Equal(c1 ? 1 : 0, run.Execute(after: false, c1, c2: false).Pins);
            Assert.Equal(0, run.Execute(after: true, c1, c2: false).Pins);
        }
    }
}
