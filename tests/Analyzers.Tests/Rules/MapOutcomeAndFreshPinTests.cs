using System.Threading.Tasks;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// Issue 9 item 10, one diagnostic per mistake: the <c>MapResult</c> a generated <c>Map…</c> member returns is the
/// "mapped or refused" outcome, so discarding it is MMU0003 and only that (the owner keeps the pin, so nothing leaks);
/// and a pin taken on a value constructed in the argument (<c>Pin(new Pfn(4))</c>) has no name to release it by, so it
/// is MMU0005 at that argument. Every ownership rule runs.
/// </summary>
public sealed class MapOutcomeAndFreshPinTests
{
    /// <summary>A stand-in for the Runtime's <c>MapResult</c> and an owner with a member shaped like a generated one.</summary>
    private const string Owner = """

        namespace MmuGuard.Mapping
        {
            public readonly struct MapResult
            {
                public bool IsMapped => true;
                public Pfn Pfn => default;
            }
        }

        public sealed class Vmcs02Pages
        {
            public MmuGuard.Mapping.MapResult MapApicAccessPage(object source, ulong gfn) => default;
            public bool UnmapApicAccessPage() => true;
        }
        """;

    private static Task VerifyAsync(string source) =>
        Infrastructure.OwnershipRulesVerifier.VerifyAsync(source + Owner);

    [Fact]
    public Task Discarded_map_result_is_an_ignored_refusal_and_nothing_else() => VerifyAsync("""
        class Nested
        {
            void Enter(Vmcs02Pages pages, object l1, ulong gfn, Vmcs02 vmcs02)
            {
                {|MMU0003:pages.MapApicAccessPage(l1, gfn)|};
                pages.UnmapApicAccessPage();
            }
        }
        """);

    [Fact]
    public Task Map_result_thrown_away_with_a_discard_is_an_ignored_refusal() => VerifyAsync("""
        class Nested
        {
            void Enter(Vmcs02Pages pages, object l1, ulong gfn)
            {
                _ = {|MMU0003:pages.MapApicAccessPage(l1, gfn)|};
            }
        }
        """);

    [Fact]
    public Task Map_result_that_is_checked_is_clean() => VerifyAsync("""
        class Nested
        {
            bool Enter(Vmcs02Pages pages, object l1, ulong gfn)
            {
                var result = pages.MapApicAccessPage(l1, gfn);
                if (!result.IsMapped)
                {
                    return false;
                }

                return true;
            }
        }
        """);

    [Fact]
    public Task Map_result_discarded_in_a_loop_and_a_lambda_is_reported_each_place() => VerifyAsync("""
        using System;

        class Nested
        {
            void Enter(Vmcs02Pages pages, object l1, ulong[] gfns)
            {
                foreach (var gfn in gfns)
                {
                    {|MMU0003:pages.MapApicAccessPage(l1, gfn)|};
                }

                Action lambda = () => {|MMU0003:pages.MapApicAccessPage(l1, 0)|};
                lambda();
            }
        }
        """);

    [Fact]
    public Task Pin_of_a_value_constructed_in_the_argument_is_a_leak_there() => VerifyAsync("""
        class Tests
        {
            void Reserve(PageRefs refs)
            {
                refs.Pin({|MMU0005:new Pfn(4)|});
            }
        }
        """);

    [Fact]
    public Task Pin_of_a_constructed_value_kept_in_a_variable_is_judged_by_the_variable() => VerifyAsync("""
        class Tests
        {
            void Reserve(PageRefs refs, bool keep)
            {
                var pfn = new Pfn(4);
                refs.Pin(pfn);
                if (keep)
                {
                    {|MMU0005:return|};
                }

                refs.Unpin(pfn);
            }
        }
        """);

    [Fact]
    public Task Constructed_value_handed_to_a_call_that_takes_no_pin_is_clean() => VerifyAsync("""
        class Tests
        {
            void Log(PageRefs refs)
            {
                refs.Log(new Pfn(4));
                refs.Adopt(new Pfn(5));
            }
        }
        """);
}
