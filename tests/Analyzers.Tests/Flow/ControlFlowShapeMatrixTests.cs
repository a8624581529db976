using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>
/// Every rule's buggy shape and fixed shape, placed inside every control-flow construct the core handles: the buggy
/// one is reported exactly where marked (and nothing else is, by any of the nine rules), the fixed one stays clean.
/// </summary>
public sealed class ControlFlowShapeMatrixTests
{
    /// <summary>Per rule: a body with the bug marked, and the same job done right.</summary>
    private static readonly Dictionary<string, (string Buggy, string Fixed)> Bodies = new()
    {
        ["MMU0001"] = (
            "var pfn = mm.FollowPte(hva); vmcs.WriteApicAccessAddress({|MMU0001:pfn|});",
            "var pfn = mm.FollowPte(hva); if (!refs.TryPin(pfn)) return; vmcs.WriteApicAccessAddress(pfn); refs.Unpin(pfn);"),
        ["MMU0002"] = (
            "var pfn = mm.FollowPte(hva); refs.Pin({|MMU0002:pfn|}); refs.Unpin(pfn);",
            "var pfn = mm.FollowPte(hva); if (refs.TryPin(pfn)) refs.Unpin(pfn);"),
        ["MMU0003"] = (
            "var pfn = mm.FollowPte(hva); {|MMU0003:refs.TryPin(pfn)|};",
            "var pfn = mm.FollowPte(hva); if (refs.TryPin(pfn) is true) refs.Unpin(pfn);"),
        ["MMU0004"] = (
            "var pfn = mm.FollowPte(hva); stage2.Install(0, {|MMU0004:pfn|});",
            "var seq = notifier.SnapshotSequence(); var pfn = mm.FollowPte(hva); if (notifier.MustRetry(seq)) return; stage2.Install(0, pfn);"),
        ["MMU0005"] = (
            "var pfn = mm.GetUserPages(hva); refs.MarkDirty(pfn); {|MMU0005:return|};",
            "var pfn = mm.GetUserPages(hva); refs.MarkDirty(pfn); refs.Unpin(pfn);"),
        ["MMU0006"] = (
            "var pfn = mm.GetUserPages(hva); refs.Unpin(pfn); refs.MarkDirty({|MMU0006:pfn|});",
            "var pfn = mm.GetUserPages(hva); refs.MarkDirty(pfn); refs.Unpin(pfn);"),
        ["MMU0007"] = (
            "var pfn = mm.GetUserPages(hva); refs.Unpin(pfn); refs.Unpin({|MMU0007:pfn|});",
            "var pfn = mm.GetUserPages(hva); refs.Unpin(pfn);"),
        ["MMU0008"] = (
            "var pfn = mm.FollowPte(hva); refs.MarkDirty({|MMU0008:pfn|});",
            "var pfn = mm.FollowPte(hva); if (!refs.TryPin(pfn)) return; refs.MarkDirty(pfn); refs.Unpin(pfn);"),
        ["MMU0009"] = (
            "var pfn = mm.FollowPte(hva); _plain = {|MMU0009:pfn|};",
            "var seq = notifier.SnapshotSequence(); var pfn = mm.FollowPte(hva); if (notifier.MustRetry(seq)) return; _covered = pfn;"),
    };

    /// <summary>Per construct: how a body is placed in it (<c>BODY</c> is replaced).</summary>
    private static readonly Dictionary<string, string> Shapes = new()
    {
        ["straight"] = "BODY",
        ["branch"] = "if (flag) { BODY } else { refs.Log(default); }",
        ["loop"] = "for (var i = 0; i < 3; i++) { BODY }",
        ["try-finally"] = "try { BODY } finally { refs.Log(default); }",
        ["early-return"] = "if (flag) return; BODY",
        ["lambda"] = "System.Action run = () => { BODY }; run();",
        ["local-function"] = "Run(); void Run() { BODY }",
        ["using"] = "using (memory.Map(0)) { BODY }",
        ["pattern"] = "if (flag is true) { BODY }",
    };

    public static IEnumerable<object[]> Cases() =>
        from rule in Bodies.Keys
        from shape in Shapes.Keys
        select new object[] { rule, shape };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Buggy_shape_is_reported_exactly_and_fixed_shape_is_clean(string rule, string shape) =>
        Verify.VerifyAsync($$"""
            using MmuGuard;

            class Subject
            {
                private Pfn _plain;
                [NotifierCovered] private Pfn _covered;

                void Buggy(HostMm mm, PageRefs refs, Vmcs02 vmcs, Stage2 stage2, Notifier notifier, GuestMemory memory, ulong hva, bool flag)
                {
                    {{Shapes[shape].Replace("BODY", Bodies[rule].Buggy)}}
                }

                void Fixed(HostMm mm, PageRefs refs, Vmcs02 vmcs, Stage2 stage2, Notifier notifier, GuestMemory memory, ulong hva, bool flag)
                {
                    {{Shapes[shape].Replace("BODY", Bodies[rule].Fixed)}}
                }
            }
            """);
}
