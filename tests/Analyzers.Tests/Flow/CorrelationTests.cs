using System.Threading.Tasks;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>
/// Issue 9 item 3: the flag pattern (<c>pinned = TryGup(…, out page); … finally { if (pinned) PutPage(page); }</c>)
/// survives ordinary expressions: conditional, <c>??</c> and switch expressions and <c>await</c> in the arguments,
/// nested calls, a flag copied from a comparison of an <c>int</c> result, and flags set by two different try-pins on
/// two paths. Every ownership rule runs, so each test shows the complete set of findings.
/// </summary>
public sealed class CorrelationTests
{
    /// <summary>get_user_pages' fast variants, beside the sim prelude.</summary>
    private const string GupApi = """

        public enum Foll { None, Write }

        public sealed class Page { }

        public static class Gup
        {
            /// <summary>get_user_page_fast_only(): true when the page was referenced.</summary>
            public static bool TryGup(ulong hva, Foll flags, [TryAcquiresPin] out Page page) { page = new Page(); return true; }

            /// <summary>pin_user_pages_fast(hva, 1, …): the number of pages pinned, or -errno.</summary>
            public static int PinUserPagesFast(ulong hva, int count, Foll flags, [TryAcquiresPin(SuccessResult = 1)] out Page? page) { page = new Page(); return 1; }

            public static void PutPage([ReleasesPin] Page page) { }

            public static void SetDirty([RequiresPin] Page page) { }

            public static ulong Translate(ulong gva) => gva;

            public static System.Threading.Tasks.Task<ulong> TranslateAsync(ulong gva) => System.Threading.Tasks.Task.FromResult(gva);
        }
        """;

    private static Task VerifyAsync(string source) =>
        Infrastructure.OwnershipRulesVerifier.VerifyAsync("using MmuGuard;\n" + source + GupApi);

    [Fact]
    public Task Flag_set_by_a_try_pin_with_a_conditional_argument_guards_the_release_in_finally() => VerifyAsync("""
        class C
        {
            void M(ulong hva, bool write)
            {
                var pinned = false;
                Page page = null!;
                try
                {
                    pinned = Gup.TryGup(hva, write ? Foll.Write : Foll.None, out page);
                    if (pinned) Gup.SetDirty(page);
                }
                finally
                {
                    if (pinned) Gup.PutPage(page);
                }
            }
        }
        """);

    [Fact]
    public Task Use_of_the_page_without_testing_the_flag_is_still_reported() => VerifyAsync("""
        class C
        {
            void M(ulong hva, bool write)
            {
                var pinned = Gup.TryGup(hva, write ? Foll.Write : Foll.None, out var page);
                Gup.SetDirty({|MMU0008:page|});
                if (pinned) Gup.PutPage(page);
            }
        }
        """);

    [Fact]
    public Task Flag_whose_success_path_keeps_the_pin_leaks_it() => VerifyAsync("""
        class C
        {
            void M(ulong hva, bool write)
            {
                var pinned = Gup.TryGup(hva, write ? Foll.Write : Foll.None, out var page);
                if (pinned) Gup.SetDirty(page);
            {|MMU0005:}|}
        }
        """);

    [Fact]
    public Task Coalescing_argument_keeps_the_flag() => VerifyAsync("""
        class C
        {
            void M(ulong? hva)
            {
                var pinned = Gup.TryGup(hva ?? 0, Foll.None, out var page);
                if (pinned) Gup.PutPage(page);
            }
        }
        """);

    [Fact]
    public Task Switch_expression_argument_keeps_the_flag() => VerifyAsync("""
        class C
        {
            void M(ulong hva, int mode)
            {
                var pinned = Gup.TryGup(hva, mode switch { 0 => Foll.None, _ => Foll.Write }, out var page);
                if (!pinned) return;
                Gup.SetDirty(page);
                Gup.PutPage(page);
            }
        }
        """);

    [Fact]
    public Task Nested_call_argument_keeps_the_flag() => VerifyAsync("""
        class C
        {
            void M(ulong gva)
            {
                var pinned = Gup.TryGup(Gup.Translate(Gup.Translate(gva)), Foll.None, out var page);
                if (pinned) Gup.PutPage(page);
            }
        }
        """);

    [Fact]
    public Task Awaited_argument_keeps_the_flag() => VerifyAsync("""
        class C
        {
            async System.Threading.Tasks.Task M(ulong gva)
            {
                var pinned = Gup.TryGup(await Gup.TranslateAsync(gva), Foll.None, out var page);
                if (pinned) Gup.PutPage(page);
            }
        }
        """);

    [Fact]
    public Task Flag_copied_from_a_comparison_of_the_count_guards_the_release() => VerifyAsync("""
        class C
        {
            void M(ulong hva)
            {
                bool r;
                r = Gup.PinUserPagesFast(hva, 1, Foll.Write, out var page) == 1;
                if (r) Gup.PutPage(page!);
            }
        }
        """);

    [Fact]
    public Task Flags_set_by_two_try_pins_on_two_paths_guard_one_release() => VerifyAsync("""
        class C
        {
            // hva_to_pfn_fast(), v6.13: pin_user_pages_fast() or get_user_page_fast_only(), then one test of r.
            bool M(ulong hva, bool pin)
            {
                Page? page;
                bool r;
                if (pin)
                {
                    r = Gup.PinUserPagesFast(hva, 1, Foll.Write, out page) == 1;
                }
                else
                {
                    r = Gup.TryGup(hva, Foll.Write, out var gotPage);
                    page = gotPage;
                }

                if (r)
                {
                    Gup.SetDirty(page!);
                    Gup.PutPage(page!);
                    return true;
                }

                return false;
            }
        }
        """);

    [Fact]
    public Task Flags_set_by_two_try_pins_on_two_paths_still_find_the_missing_release() => VerifyAsync("""
        class C
        {
            bool M(ulong hva, bool pin)
            {
                Page? page;
                bool r;
                if (pin)
                {
                    r = Gup.PinUserPagesFast(hva, 1, Foll.Write, out page) == 1;
                }
                else
                {
                    r = Gup.TryGup(hva, Foll.Write, out var gotPage);
                    page = gotPage;
                }

                if (r)
                {
                    Gup.SetDirty(page!);
                    {|MMU0005:return|} true;
                }

                return false;
            }
        }
        """);

    [Fact]
    public Task Flag_tested_in_a_loop_guards_each_release() => VerifyAsync("""
        class C
        {
            void M(ulong[] hvas, bool write)
            {
                foreach (var hva in hvas)
                {
                    var pinned = Gup.TryGup(hva, write ? Foll.Write : Foll.None, out var page);
                    if (!pinned) continue;
                    Gup.SetDirty(page);
                    Gup.PutPage(page);
                }
            }
        }
        """);

    [Fact]
    public Task Flag_with_an_early_return_on_failure_is_clean() => VerifyAsync("""
        class C
        {
            int M(ulong hva, bool write)
            {
                var pinned = Gup.TryGup(hva, write ? Foll.Write : Foll.None, out var page);
                if (!pinned) return -14;
                Gup.PutPage(page);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Flag_pattern_inside_a_local_function_and_a_lambda_is_clean() => VerifyAsync("""
        class C
        {
            System.Action M(ulong hva, bool write)
            {
                Local();
                return () =>
                {
                    var pinned = Gup.TryGup(hva, write ? Foll.Write : Foll.None, out var page);
                    if (pinned) Gup.PutPage(page);
                };

                void Local()
                {
                    var pinned = Gup.TryGup(hva, write ? Foll.Write : Foll.None, out var page);
                    if (pinned) Gup.PutPage(page);
                }
            }
        }
        """);

    [Fact]
    public Task Flag_copied_to_another_bool_keeps_the_outcome() => VerifyAsync("""
        class C
        {
            void M(ulong hva, bool write)
            {
                var pinned = Gup.TryGup(hva, write ? Foll.Write : Foll.None, out var page);
                var mustRelease = pinned;
                if (mustRelease) Gup.PutPage(page);
            }
        }
        """);

    [Fact]
    public Task Flag_from_a_conditional_expression_keeps_the_outcome() => VerifyAsync("""
        class C
        {
            void M(ulong hva)
            {
                Page page = null!;
                var pinned = hva != 0 ? Gup.TryGup(hva, Foll.None, out page) : false;
                if (pinned) Gup.PutPage(page);
            }
        }
        """);

    [Fact]
    public Task Flag_from_a_switch_expression_keeps_the_outcome() => VerifyAsync("""
        class C
        {
            void M(ulong hva, int mode)
            {
                Page page = null!;
                var pinned = mode switch { 0 => false, _ => Gup.TryGup(hva, Foll.None, out page) };
                if (pinned) Gup.PutPage(page);
            }
        }
        """);
}
