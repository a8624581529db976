using System.Linq;
using System.Text;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Robustness;

/// <summary>
/// Long expressions and chains no person writes but generators and obfuscators do (issue 8, C1/C2): every analyzer
/// survives them on a 1 MB stack and still analyses the code around them.
/// </summary>
public sealed class DeepShapeTests
{
    // 20,000 terms keep each test under half a minute (Roslyn's own binding of one such expression grows faster than
    // linearly); the recursive walks overflowed a 1 MB stack at 655. ROBUSTNESS_SCALE=5 runs the 100,000 of issue 8.
    private static readonly int Terms = 20_000 * SmallStackAnalysis.Scale;

    /// <summary>A body with a long expression between a borrowed resolve and an unconditional pin of it.</summary>
    private static string PinAfter(string type, string parameter, string expression) => $$"""
        public static class Shapes
        {
            public static {{type}} Long(HostMm mm, PageRefs refs, ulong hva, {{type}} {{parameter}})
            {
                var pfn = mm.FollowPte(hva);
                {{type}} result = {{expression}};
                refs.Pin(pfn);
                refs.Unpin(pfn);
                return result;
            }
        }
        """;

    private static string Chain(string term, string separator, int count)
    {
        var text = new StringBuilder(count * (term.Length + separator.Length));
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "" : separator).Append(term);
        }

        return text.ToString();
    }

    [Fact]
    public void A_long_sum_does_not_overflow_the_stack_and_the_code_after_it_is_analysed() =>
        Assert.Equal(new[] { "MMU0002" }, SmallStackAnalysis.IdsOf(PinAfter("ulong", "u", Chain("u", " + ", Terms))));

    [Fact]
    public void A_long_product_does_not_overflow_the_stack_and_the_code_after_it_is_analysed() =>
        Assert.Equal(new[] { "MMU0002" }, SmallStackAnalysis.IdsOf(PinAfter("ulong", "u", Chain("u", " * ", Terms))));

    [Fact]
    public void A_long_string_concatenation_does_not_overflow_the_stack_and_the_code_after_it_is_analysed() =>
        Assert.Equal(new[] { "MMU0002" }, SmallStackAnalysis.IdsOf(PinAfter("string", "s", Chain("s", " + ", Terms))));

    [Fact]
    public void A_long_conjunction_guard_does_not_overflow_the_stack_and_the_code_after_it_is_analysed() =>
        Assert.Equal(new[] { "MMU0002" }, SmallStackAnalysis.IdsOf(PinAfter("bool", "b", Chain("b", " && ", Terms))));

    [Fact]
    public void A_long_disjunction_guard_does_not_overflow_the_stack_and_the_code_after_it_is_analysed() =>
        Assert.Equal(new[] { "MMU0002" }, SmallStackAnalysis.IdsOf(PinAfter("bool", "b", Chain("b", " || ", Terms))));

    [Fact]
    public void Calls_nested_beyond_the_contract_depth_bound_do_not_overflow_the_stack_and_the_code_after_them_is_analysed()
    {
        var depth = 500 * SmallStackAnalysis.Scale;
        var source = $$"""
            public static class Shapes
            {
                private static ulong Id(ulong value) => value;

                public static ulong Long(HostMm mm, PageRefs refs, ulong hva, ulong u)
                {
                    var pfn = mm.FollowPte(hva);
                    ulong result = {{string.Concat(Enumerable.Repeat("Id(", depth))}}u{{new string(')', depth)}};
                    refs.Pin(pfn);
                    refs.Unpin(pfn);
                    return result;
                }
            }
            """;

        Assert.Equal(new[] { "MMU0002" }, SmallStackAnalysis.IdsOf(source));
    }

    /// <summary>MMU0016 walks the body of an unannotated method that returns a pinned page.</summary>
    private static string UnannotatedReturn(string condition) => $$"""
        public static class Shapes
        {
            public static Pfn Pick(HostMm mm, bool b)
            {
                if ({{condition}})
                {
                    return mm.GetUserPages(1);
                }

                return mm.GetUserPages(2);
            }
        }
        """;

    [Fact]
    public void MMU0016_survives_a_long_conjunction_in_the_method_it_judges() =>
        Assert.Equal(new[] { "MMU0016" }, SmallStackAnalysis.IdsOf(UnannotatedReturn(Chain("b", " && ", Terms))));

    [Fact]
    public void MMU0016_survives_a_long_disjunction_in_the_method_it_judges() =>
        Assert.Equal(new[] { "MMU0016" }, SmallStackAnalysis.IdsOf(UnannotatedReturn(Chain("b", " || ", Terms))));

    [Fact]
    public void MMU0016_survives_a_long_else_if_chain_in_the_method_it_judges()
    {
        var arms = new StringBuilder();
        for (var i = 0; i < Terms; i++)
        {
            arms.Append(i == 0 ? "" : "        else ").Append("if (x == ").Append(i).Append(") return mm.GetUserPages(").Append(i).Append(");\n");
        }

        var source = $$"""
            public static class Shapes
            {
                public static Pfn Pick(HostMm mm, int x)
                {
                    {{arms}}
                    return mm.GetUserPages(0);
                }
            }
            """;

        Assert.Equal(new[] { "MMU0016" }, SmallStackAnalysis.IdsOf(source));
    }

    /// <summary>Nesting depths issue 8 found the visit budget gave up at (N2), ROBUSTNESS_SCALE multiplies.</summary>
    /// <summary>Copies are statements, which Roslyn binds more slowly than terms: a quarter as many keep the test as short.</summary>
    private static readonly int Copies = Terms / 4;

    [Fact]
    public void A_long_chain_of_copies_keeps_one_obligation_and_is_analysed_to_its_end()
    {
        var copies = new StringBuilder();
        for (var i = 1; i <= Copies; i++)
        {
            copies.Append("var p").Append(i).Append(" = p").Append(i - 1).Append(";\n");
        }

        var source = $$"""
            public static class Shapes
            {
                public static void Copies(HostMm mm, PageRefs refs, ulong hva)
                {
                    var p0 = mm.GetUserPages(hva);
                    {{copies}}
                    refs.Unpin(p{{Copies}});
                    refs.MarkDirty(p0);
                }
            }
            """;

        Assert.Equal(new[] { "MMU0006" }, SmallStackAnalysis.IdsOf(source));
    }

    private static readonly int LoopDepth = 67 * SmallStackAnalysis.Scale;

    private static readonly int FinallyDepth = 7 * SmallStackAnalysis.Scale;

    [Fact]
    public void A_loop_nest_67_deep_is_analysed_to_its_end()
    {
        var open = new StringBuilder();
        for (var i = 0; i < LoopDepth; i++)
        {
            open.Append("for (var i").Append(i).Append(" = 0; i").Append(i).Append(" < n; i").Append(i).Append("++) { if (i").Append(i).Append(" == 3) continue;\n");
        }

        var source = $$"""
            public static class Shapes
            {
                public static void Deep(HostMm mm, PageRefs refs, ulong hva, int n)
                {
                    var pfn = mm.FollowPte(hva);
                    {{open}}
                    refs.Log(pfn);
                    {{new string('}', LoopDepth)}}
                    refs.Pin(pfn);
                    refs.Unpin(pfn);
                }
            }
            """;

        Assert.Equal(new[] { "MMU0002" }, SmallStackAnalysis.IdsOf(source));
    }

    [Fact]
    public void Try_finally_nested_in_finally_7_deep_is_analysed_to_its_end()
    {
        var nest = new StringBuilder();
        for (var i = 0; i < FinallyDepth; i++)
        {
            // Only the outermost try may return: control cannot leave a finally clause, but an exception can.
            var leave = i == 0 ? "return;" : "throw new System.InvalidOperationException();";
            nest.Append("try { if (n == ").Append(i).Append(") ").Append(leave).Append(" refs.Log(pfn); } finally {\n");
        }

        var source = $$"""
            public static class Shapes
            {
                public static void Deep(HostMm mm, PageRefs refs, ulong hva, int n)
                {
                    var pfn = mm.FollowPte(hva);
                    {{nest}}
                    refs.Log(pfn);
                    {{new string('}', FinallyDepth)}}
                    refs.Pin(pfn);
                    refs.Unpin(pfn);
                }
            }
            """;

        Assert.Equal(new[] { "MMU0002" }, SmallStackAnalysis.IdsOf(source));
    }
}
