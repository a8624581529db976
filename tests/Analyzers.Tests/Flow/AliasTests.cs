using System.Threading.Tasks;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>
/// Issue 9 item 2: one value under several names. A copy (<c>var vmcb12 = map;</c>), a tuple element written by a
/// deconstruction, or a <c>[MovesReferenceToResult]</c> result is a second name of the same value: a release through
/// any name releases it for all of them, a use through any name after that is MMU0006, and the pin is owed (and a
/// leak reported) once. Every ownership rule runs, so each test shows the complete set of findings.
/// </summary>
public sealed class AliasTests
{
    /// <summary>page_to_pfn() and kvm_resolve_pfn()'s callees, beside the sim prelude.</summary>
    private const string PageApi = """

        public sealed class Page { }

        public static class Mm
        {
            /// <summary>page_to_pfn(): the pfn is the page's reference under another name.</summary>
            public static Pfn PageToPfn([MovesReferenceToResult] Page page) => default;

            /// <summary>get_user_page_fast_only(): a referenced page, or NULL.</summary>
            [return: Pinned]
            public static Page? GetPage(ulong hva) => new Page();

            public static void PutPage([ReleasesPin] Page? page) { }

            public static void SetDirty([RequiresPin] Pfn pfn) { }

            [ErrorValue]
            public static Pfn ErrFault => default;
        }
        """;

    private static Task VerifyAsync(string source) =>
        Infrastructure.OwnershipRulesVerifier.VerifyAsync("using MmuGuard;\n" + source + PageApi);

    [Fact]
    public Task Release_through_a_copy_releases_the_value_for_both_names() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.GetUserPages(hva);
                var alias = pfn;
                refs.MarkDirty(pfn);
                refs.Unpin(alias);
            }
        }
        """);

    [Fact]
    public Task Use_through_the_original_name_after_a_release_through_the_copy_is_a_use_after_release() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.GetUserPages(hva);
                var alias = pfn;
                refs.Unpin(alias);
                refs.MarkDirty({|MMU0006:pfn|});
            }
        }
        """);

    [Fact]
    public Task Use_of_a_mapping_through_its_copy_after_unmap_is_a_use_after_release() => VerifyAsync("""
        class Svm
        {
            ulong Run(GuestMemory memory, ulong gfn)
            {
                if (!memory.TryMap(gfn, out var map)) return 0;
                var vmcb12 = map;
                map.Unmap();
                return {|MMU0006:vmcb12|}.ReadQword(0);
            }
        }
        """);

    [Fact]
    public Task Second_release_through_the_other_name_is_unbalanced() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.GetUserPages(hva);
                var alias = pfn;
                refs.Unpin(alias);
                refs.Unpin({|MMU0007:pfn|});
            }
        }
        """);

    [Fact]
    public Task A_value_with_two_names_leaks_once_under_the_first_name() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.GetUserPages(hva);
                var alias = pfn;
                refs.MarkDirty(alias);
            {|MMU0005:}|}
        }
        """);

    [Fact]
    public Task Reassigning_one_name_loses_no_pin_the_other_name_still_holds() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.GetUserPages(hva);
                var held = pfn;
                pfn = mm.FollowPte(hva + 4096);
                refs.Unpin(held);
            }
        }
        """);

    [Fact]
    public Task Reassigning_the_last_name_of_a_pinned_value_is_a_leak_at_the_write() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.GetUserPages(hva);
                var held = pfn;
                pfn = mm.FollowPte(hva + 4096);
                {|MMU0005:held|} = mm.FollowPte(hva);
            }
        }
        """);

    [Fact]
    public Task Copy_made_on_one_branch_is_released_with_the_original() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva, bool keep)
            {
                var pfn = mm.GetUserPages(hva);
                Pfn kept = default;
                if (keep)
                {
                    kept = pfn;
                }

                refs.Unpin(pfn);
            }
        }
        """);

    [Fact]
    public Task Copy_made_on_one_branch_is_used_after_the_release_of_the_original() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva, bool keep)
            {
                var pfn = mm.GetUserPages(hva);
                Pfn kept = default;
                if (keep)
                {
                    kept = pfn;
                }

                refs.Unpin(pfn);
                if (keep)
                {
                    refs.MarkDirty({|MMU0006:kept|});
                }
            }
        }
        """);

    [Fact]
    public Task Copy_released_in_a_loop_is_clean() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong[] hvas)
            {
                foreach (var hva in hvas)
                {
                    var pfn = mm.GetUserPages(hva);
                    var alias = pfn;
                    refs.MarkDirty(pfn);
                    refs.Unpin(alias);
                }
            }
        }
        """);

    [Fact]
    public Task Release_through_a_copy_at_the_bottom_of_a_loop_is_a_use_after_release_at_the_top() => VerifyAsync("""
        class C
        {
            // The second iteration uses and releases again what the first released through the copy; a loop that
            // never runs leaks the pin.
            void M(HostMm mm, PageRefs refs, ulong hva, int count)
            {
                var pfn = mm.GetUserPages(hva);
                for (var i = 0; i < count; i++)
                {
                    refs.MarkDirty({|MMU0006:pfn|});
                    var alias = pfn;
                    refs.Unpin({|MMU0007:alias|});
                }
            {|MMU0005:}|}
        }
        """);

    [Fact]
    public Task Release_through_a_copy_in_finally_is_clean() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.GetUserPages(hva);
                var alias = pfn;
                try
                {
                    refs.MarkDirty(pfn);
                }
                finally
                {
                    refs.Unpin(alias);
                }
            }
        }
        """);

    [Fact]
    public Task Early_return_releasing_through_either_name_is_clean() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva, bool early)
            {
                var pfn = mm.GetUserPages(hva);
                var alias = pfn;
                if (early)
                {
                    refs.Unpin(alias);
                    return;
                }

                refs.Unpin(pfn);
            }
        }
        """);

    [Fact]
    public Task Early_return_releasing_through_neither_name_leaks_there_once() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva, bool early)
            {
                var pfn = mm.GetUserPages(hva);
                var alias = pfn;
                if (early)
                {
                    {|MMU0005:return|};
                }

                refs.Unpin(alias);
            }
        }
        """);

    [Fact]
    public Task Copies_inside_a_local_function_share_the_value() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                Local();

                void Local()
                {
                    var pfn = mm.GetUserPages(hva);
                    var alias = pfn;
                    refs.Unpin(alias);
                    refs.MarkDirty({|MMU0006:pfn|});
                }
            }
        }
        """);

    [Fact]
    public Task Copies_inside_a_lambda_share_the_value() => VerifyAsync("""
        class C
        {
            System.Action M(HostMm mm, PageRefs refs, ulong hva) => () =>
            {
                var pfn = mm.GetUserPages(hva);
                var alias = pfn;
                refs.Unpin(pfn);
                refs.MarkDirty({|MMU0006:alias|});
            };
        }
        """);

    [Fact]
    public Task A_copy_captured_by_a_lambda_is_not_followed() => VerifyAsync("""
        class C
        {
            System.Action M(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.GetUserPages(hva);
                var alias = pfn;
                refs.Unpin(pfn);
                return () => refs.MarkDirty(alias);
            }
        }
        """);

    [Fact]
    public Task Deconstruction_of_a_tuple_names_each_element() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var (pfn, offset) = (mm.GetUserPages(hva), hva & 4095);
                refs.MarkDirty(pfn);
                refs.Unpin(pfn);
            }
        }
        """);

    [Fact]
    public Task Deconstruction_that_drops_one_pinned_element_leaks_it() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var (first, second) = (mm.GetUserPages(hva), mm.GetUserPages(hva + 4096));
                refs.Unpin(first);
            {|MMU0005:}|}
        }
        """);

    [Fact]
    public Task Deconstruction_of_variables_aliases_them() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.GetUserPages(hva);
                Pfn copy;
                int count;
                (copy, count) = (pfn, 1);
                refs.Unpin(copy);
                refs.MarkDirty({|MMU0006:pfn|});
            }
        }
        """);

    [Fact]
    public Task A_swap_by_deconstruction_is_not_followed_so_the_pin_is_lost_at_the_write() => VerifyAsync("""
        class C
        {
            void M(HostMm mm, PageRefs refs, ulong hva)
            {
                var first = mm.GetUserPages(hva);
                var second = mm.FollowPte(hva);
                ({|MMU0005:first|}, second) = (second, first);
                refs.Unpin(second);
            }
        }
        """);

    [Fact]
    public Task The_pfn_of_a_page_is_the_page_under_another_name() => VerifyAsync("""
        class C
        {
            void M(ulong hva)
            {
                var page = Mm.GetPage(hva);
                if (page is null) return;
                var pfn = Mm.PageToPfn(page);
                Mm.PutPage(page);
                Mm.SetDirty({|MMU0006:pfn|});
            }
        }
        """);

    [Fact]
    public Task Storing_the_page_while_returning_its_pfn_owes_nothing() => VerifyAsync("""
        class C
        {
            // kvm_resolve_pfn(), v6.13: the reference moves into *refcounted_page and the pfn is its frame number.
            [return: Borrowed]
            static Pfn ResolvePfn([TakesPinOwnership] Page? page, [Pinned] out Page? refcountedPage)
            {
                var pfn = page is null ? Mm.ErrFault : Mm.PageToPfn(page);
                refcountedPage = page;
                return pfn;
            }
        }
        """);

    [Fact]
    public Task Returning_the_pfn_of_a_page_taken_over_and_kept_nowhere_leaks_it() => VerifyAsync("""
        class C
        {
            [return: Borrowed]
            static Pfn ResolvePfn([TakesPinOwnership] Page? page)
            {
                var pfn = page is null ? Mm.ErrFault : Mm.PageToPfn(page);
                {|MMU0005:return|} pfn;
            }
        }
        """);

    [Fact]
    public Task Swapping_references_without_putting_the_old_page_leaks_it_at_the_write() => VerifyAsync("""
        class C
        {
            // hva_to_pfn_slow() without its put_page(page) before page = wpage.
            void M(ulong hva)
            {
                var page = Mm.GetPage(hva);
                if (page is null) return;
                var wpage = Mm.GetPage(hva);
                if (wpage is not null)
                {
                    {|MMU0005:page|} = wpage;
                }

                Mm.PutPage(page);
            }
        }
        """);

    [Fact]
    public Task Passing_the_functions_own_pinned_out_parameter_on_hands_the_pin_to_the_caller() => VerifyAsync("""
        class C
        {
            static void Resolve([TakesPinOwnership] Page page, [Pinned] out Page refcountedPage) => refcountedPage = page;

            static void Fast(ulong hva, [Pinned] out Page? refcountedPage)
            {
                refcountedPage = null;
                var page = Mm.GetPage(hva);
                if (page is null) return;
                Resolve(page, out refcountedPage);
            }
        }
        """);

    [Fact]
    public Task An_address_read_from_a_mapping_is_not_a_name_of_the_mapping() => VerifyAsync("""
        class Svm
        {
            // vmcb12 = map.hva: the [RequiresPin] getter is checked where it is read; later uses of the address are not followed.
            ulong Run(GuestMemory memory, ulong gfn)
            {
                if (!memory.TryMap(gfn, out var map)) return 0;
                var vmcb12 = map.FirstQword;
                map.Unmap();
                return vmcb12;
            }
        }
        """);
}
