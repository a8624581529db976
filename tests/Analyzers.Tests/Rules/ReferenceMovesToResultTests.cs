using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// Issue 9, item 8: a page and its pfn are one reference. <c>[MovesReferenceToResult]</c> on <c>PageToPfn</c>'s page
/// moves the pin to the returned pfn, as KVM's <c>hva_to_pfn_fast()</c> does with <c>*pfn = page_to_pfn(page)</c>
/// (virt/kvm/kvm_main.c, v6.12).
/// </summary>
public sealed class ReferenceMovesToResultTests
{
    private const string Frames = """

        sealed class Page { public ulong Index; }

        static class Frames
        {
            [return: MmuGuard.Pinned]
            public static Page GetPage(ulong hva) => new Page { Index = hva >> 12 };

            public static bool GetPageFastOnly(ulong hva, [MmuGuard.TryAcquiresPin] out Page page) { page = new Page(); return true; }

            public static Pfn PageToPfn([MmuGuard.MovesReferenceToResult] Page page) => new Pfn(page.Index);

            public static Pfn Unannotated(Page page) => new Pfn(page.Index);
        }
        """;

    [Fact]
    public Task The_fast_path_returning_the_pfn_of_its_pinned_page_is_clean() =>
        Verify.VerifyAsync("""
            using MmuGuard;

            class Resolver
            {
                // hva_to_pfn_fast(), v6.12: the GUP reference leaves through *pfn.
                static bool HvaToPfnFast(ulong addr, [TryAcquiresPin] out Pfn pfn)
                {
                    if (Frames.GetPageFastOnly(addr, out var page))
                    {
                        pfn = Frames.PageToPfn(page);
                        return true;
                    }

                    pfn = default;
                    return false;
                }
            }
            """ + Frames);

    [Fact]
    public Task The_pfn_takes_the_pin_so_releasing_the_pfn_releases_the_page() =>
        Verify.VerifyAsync("""
            class Resolver
            {
                void Touch(PageRefs refs, ulong hva)
                {
                    var page = Frames.GetPage(hva);
                    var pfn = Frames.PageToPfn(page);
                    refs.MarkDirty(pfn);
                    refs.Unpin(pfn);
                }
            }
            """ + Frames);

    [Fact]
    public Task A_moved_pin_the_pfn_never_releases_leaks_at_the_exit() =>
        Verify.VerifyAsync("""
            class Resolver
            {
                void Touch(PageRefs refs, ulong hva)
                {
                    var page = Frames.GetPage(hva);
                    var pfn = Frames.PageToPfn(page);
                    refs.MarkDirty(pfn);
                {|MMU0005:}|}
            }
            """ + Frames);

    [Fact]
    public Task Without_the_attribute_the_page_keeps_its_pin_and_leaks() =>
        Verify.VerifyAsync("""
            class Resolver
            {
                ulong Frame(ulong hva)
                {
                    var page = Frames.GetPage(hva);
                    var pfn = Frames.Unannotated(page);
                    {|MMU0005:return|} pfn.Value;
                }
            }
            """ + Frames);

    [Fact]
    public Task A_pinned_temporary_converted_in_place_hands_its_pin_to_the_pfn() =>
        Verify.VerifyAsync("""
            class Resolver
            {
                void Touch(PageRefs refs, ulong hva, bool early)
                {
                    var pfn = Frames.PageToPfn(Frames.GetPage(hva));
                    if (early)
                    {
                        {|MMU0005:return|};
                    }

                    refs.Unpin(pfn);
                }
            }
            """ + Frames);

    [Fact]
    public Task A_moved_reference_in_a_loop_and_a_lambda_is_tracked_per_iteration_and_per_function() =>
        Verify.VerifyAsync("""
            using System;

            class Resolver
            {
                void Touch(PageRefs refs, ulong[] hvas)
                {
                    foreach (var hva in hvas)
                    {
                        var pfn = Frames.PageToPfn(Frames.GetPage(hva));
                        refs.Unpin(pfn);
                    }

                    Action<ulong> one = hva =>
                    {
                        var pfn = Frames.PageToPfn(Frames.GetPage(hva));
                        try { refs.MarkDirty(pfn); }
                        finally { refs.Unpin(pfn); }
                    };
                    one(0);
                }
            }
            """ + Frames);
}
