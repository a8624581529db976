using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Tests.CodeFixes.Harness;
using Xunit;

namespace MmuGuard.Analyzers.Tests.CodeFixes;

/// <summary>
/// Each fix applied to generated method shapes (the bug site as a plain statement, an <c>if</c> or <c>else</c> body,
/// a loop body, a labelled <c>goto</c> target, inside <c>lock</c>, between logged steps that may sit under
/// conditions): the fixed method compiles, no longer reports the diagnostic, reports nothing new, still logs every
/// step the original did, and — run for every condition — does what the original did, minus the bug.
/// </summary>
public sealed class FixPropertyTests
{
    private const int Iterations = 12;

    private static readonly bool[] Both = { false, true };

    /// <summary>A few logged steps, each plain or under a condition; <c>#</c> is replaced by a unique step number.</summary>
    private static readonly Gen<string> Steps = Gen.OneOf(
            "mm.Log(\"s#\");",
            "if (c1) { mm.Log(\"s#\"); }",
            "if (c2) mm.Log(\"s#\"); else mm.Log(\"t#\");")
        .Array[0, 2]
        .Select(steps => string.Concat(steps.Select(step => "\n        " + step)));

    private static string Numbered(string body)
    {
        var numbered = new StringBuilder();
        var step = 0;
        foreach (var character in body)
        {
            if (character == '#')
            {
                numbered.Append(step++);
            }
            else
            {
                numbered.Append(character);
            }
        }

        return numbered.ToString();
    }

    private static async Task<FixRun> FixAndCheckAsync(string body, ContractCodeFixProvider fixer, string id)
    {
        var run = await FixRun.FirstFixAsync(FixWorld.Scenario(Numbered(body)), fixer, id);
        Assert.True(run.Count(id, after: false) > 0, "the shape should report " + id + "\n" + run.Before);
        Assert.True(run.Errors.IsEmpty, string.Join("\n", run.Errors) + "\n" + run.After);
        Assert.True(run.Count(id) == 0, id + " is still reported after the fix\n" + run.After);
        foreach (var other in run.BeforeDiagnostics.Concat(run.AfterDiagnostics).Select(diagnostic => diagnostic.Id).Distinct())
        {
            Assert.True(run.Count(other) <= run.Count(other, after: false), "the fix added " + other + "\n" + run.After);
        }

        foreach (var line in run.Before.Split('\n').Where(line => line.Contains("mm.Log(", System.StringComparison.Ordinal)))
        {
            foreach (var step in line.Split(';').Where(part => part.Contains("mm.Log(", System.StringComparison.Ordinal)))
            {
                var call = step.Substring(step.IndexOf("mm.Log(", System.StringComparison.Ordinal));
                Assert.True(run.After.Contains(call, System.StringComparison.Ordinal), "the fix lost '" + call + "'\n" + run.After);
            }
        }

        return run;
    }

    [Fact]
    public Task MMU0002_fix_keeps_behaviour_when_the_pin_succeeds_across_shapes() =>
        Gen.Select(
                Steps,
                Gen.OneOf(
                    "mm.Get(pfn);",
                    "if (c1) mm.Get(pfn); else mm.Log(\"else\");",
                    "if (c1) mm.Get(pfn);",
                    "for (var i = 0; i < 1; i++) mm.Get(pfn);",
                    "if (c2) goto pin; mm.Log(\"skip\"); pin: mm.Get(pfn);",
                    "lock (mm) mm.Get(pfn);"),
                Steps,
                (before, pin, after) => before + "\n        var pfn = mm.FollowPte(hva);\n        " + pin + after + "\n        mm.Log(\"end\");")
            .SampleAsync(
                async body =>
                {
                    var run = await FixAndCheckAsync(body, new UnconditionalPinFixer(), "MMU0002");
                    FixedOutputTests.AssertSameBehaviourWhenPinsSucceed(run);
                },
                iter: Iterations,
                threads: 1);

    [Fact]
    public Task MMU0004_fix_makes_an_invalidation_during_the_resolve_stop_the_install_across_shapes() =>
        Gen.Select(
                Gen.OneOf(
                    string.Empty,
                    "var seq = mm.ReadSequence();",
                    "{ var seq = mm.ReadSequence(); mm.Log(\"read\" + seq); }",
                    "if (c1) { var seq = mm.ReadSequence(); mm.Log(\"read\" + seq); }"),
                Steps,
                Gen.OneOf(
                    string.Empty,
                    "var late = mm.ReadSequence(); if (mm.MustRetry(late)) { mm.Log(\"retry\"); return; }"),
                Gen.OneOf(
                    "mm.Install(1, pfn);",
                    "if (c1) mm.Install(1, pfn);",
                    "lock (mm) { mm.Install(1, pfn); }",
                    "lock (mm) mm.Install(1, pfn);"),
                (snapshot, steps, retry, install) => (Snapshot: snapshot, Retry: retry, Body:
                    "\n        " + snapshot + "\n        var pfn = mm.FollowPte(hva);" + steps + "\n        " + retry + "\n        " + install + "\n        mm.Log(\"end\");"))

            // A snapshot before the resolve on every path plus a retry check on a late one is not reported (the flow
            // core does not tie a retry check to its snapshot), so there is nothing to fix in that shape.
            .Where(shape => !(shape.Snapshot.Length > 0 && !shape.Snapshot.StartsWith("if", System.StringComparison.Ordinal) && shape.Retry.Length > 0))
            .Select(shape => shape.Body)
            .SampleAsync(
                async body =>
                {
                    var run = await FixAndCheckAsync(body, new NotifierSequenceFixer(), "MMU0004");
                    foreach (var c1 in Both)
                    {
                        foreach (var c2 in Both)
                        {
                            Assert.Equal(run.Execute(after: false, c1, c2), run.Execute(after: true, c1, c2));
                            Assert.Equal(0, run.Execute(after: true, c1, c2, invalidateDuringResolve: true).Installs);
                        }
                    }
                },
                iter: Iterations,
                threads: 1);

    [Fact]
    public Task MMU0005_fix_releases_the_pin_on_every_exit_across_shapes() =>
        Gen.Select(
                Gen.Bool,
                Steps,
                Gen.OneOf(
                    string.Empty,
                    "if (c1) return;",
                    "if (c1) { mm.Log(\"early\"); mm.Put(pfn); return; }",
                    "if (c2) { mm.Log(\"loop\"); goto again; }"),
                Gen.Bool,
                (jumpOver, steps, exit, localFunction) =>
                    (localFunction ? "\n        Note(\"start\");" : string.Empty)
                    + (jumpOver ? "\n        if (c2) goto done;" : string.Empty)
                    + "\n        var tries = 0;\n        again: tries++;\n        if (tries > 2) return;"
                    + "\n        var pfn = mm.GetUserPages(hva);" + steps
                    + "\n        " + exit.Replace("c2) { mm.Log(\"loop\")", "c2 && tries < 2) { mm.Log(\"loop\")", System.StringComparison.Ordinal)
                    + "\n        mm.Log(\"end\");"
                    + (jumpOver ? "\n        done: mm.Log(\"done\");" : string.Empty)
                    + (localFunction ? "\n\n        void Note(string step) => mm.Log(step);" : string.Empty))
            .SampleAsync(
                async body =>
                {
                    var run = await FixAndCheckAsync(body, new PinLeakFixer(), "MMU0005");
                    FixedOutputTests.AssertReleasedOnEveryExitWithTheSameSteps(run);
                },
                iter: Iterations,
                threads: 1);
}
