using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// Issue 9, item 9: the v5.17 gfn=>pfn cache (virt/kvm/pfncache.c, kvm_gfn_to_pfn_cache_refresh(), 982ed0de4753)
/// <c>memremap()</c>s a pfn without struct page and keeps the mapping in <c>gpc->khva</c>, which its notifier hook
/// invalidates with <c>gpc->pfn</c>. An out-of-band mapping kept by a <c>[NotifierCovered]</c> member is covered by
/// the cache, so it is not MMU0001; kept anywhere else it still is.
/// </summary>
public sealed class CoveredMappingTests
{
    private const string Cache = """

        static class Host
        {
            public static ulong Memremap([MmuGuard.OutOfBandSink] Pfn pfn) => pfn.Value << 12;
        }

        sealed class GfnToPfnCache
        {
            [MmuGuard.NotifierCovered] public Pfn Pfn;
            [MmuGuard.NotifierCovered] public ulong Khva;
            public ulong Scratch;
        }
        """;

    [Fact]
    public Task A_mapping_published_through_a_local_into_a_covered_member_is_not_judged() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(GfnToPfnCache gpc, HostMm mm, ulong hva, ulong offset)
                {
                    var pfn = mm.DriverPage(3);
                    ulong khva = 0;
                    if (offset < 4096)
                    {
                        khva = Host.Memremap(pfn);
                    }

                    gpc.Khva = khva + offset;
                }
            }
            """ + Cache);

    [Fact]
    public Task A_mapping_stored_straight_into_a_covered_member_is_not_judged() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(GfnToPfnCache gpc, HostMm mm) => gpc.Khva = Host.Memremap(mm.DriverPage(3)) + 8;
            }
            """ + Cache);

    [Fact]
    public Task A_mapping_kept_in_an_uncovered_member_is_still_reported() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(GfnToPfnCache gpc, HostMm mm)
                {
                    var pfn = mm.DriverPage(3);
                    var khva = Host.Memremap({|MMU0001:pfn|});
                    gpc.Scratch = khva;
                }
            }
            """ + Cache);

    [Fact]
    public Task A_mapping_whose_result_is_dropped_is_still_reported() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm)
                {
                    Host.Memremap({|MMU0001:mm.DriverPage(3)|});
                }
            }
            """ + Cache);

    [Fact]
    public Task A_local_published_only_inside_a_lambda_does_not_cover_the_outer_mapping() =>
        Verify.VerifyAsync("""
            using System;

            class Refresh
            {
                Action Run(GfnToPfnCache gpc, HostMm mm)
                {
                    var khva = Host.Memremap({|MMU0001:mm.DriverPage(3)|});
                    return () => gpc.Khva = khva;
                }
            }
            """ + Cache);

    [Fact]
    public Task A_covered_mapping_inside_a_local_function_is_not_judged() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(GfnToPfnCache gpc, HostMm mm)
                {
                    Publish(mm.DriverPage(3));

                    void Publish([MmuGuard.Borrowed, MmuGuard.MayBeNonRefcounted] Pfn pfn)
                    {
                        var khva = Host.Memremap(pfn);
                        gpc.Khva = khva;
                    }
                }
            }
            """ + Cache);

    [Fact]
    public Task A_released_pfn_mapped_into_a_covered_member_is_still_a_use_after_release() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(GfnToPfnCache gpc, HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Unpin(pfn);
                    gpc.Khva = Host.Memremap({|MMU0006:pfn|});
                }
            }
            """ + Cache);
}
