using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// Issue 9, item 5: a store of a borrowed PFN into a <c>[NotifierCovered]</c> field or property is an install, held to
/// the invalidation-sequence discipline (MMU0004) exactly like a <c>[NotifierCoveredSink]</c> argument. KVM's
/// gfn=>pfn cache publishes <c>gpc->pfn = new_pfn</c> (virt/kvm/pfncache.c, kvm_gpc_refresh(), v6.1) only after
/// <c>hva_to_pfn_retry()</c>'s <c>mmu_invalidate_retry_hva()</c> check said no retry.
/// </summary>
public sealed class NotifierCoveredStoreTests
{
    private const string Cache = """

        sealed class PfnCache
        {
            [MmuGuard.NotifierCovered] public Pfn Pfn;
            [MmuGuard.NotifierCovered] public Pfn Published { get; set; }
        }
        """;

    [Fact]
    public Task A_store_resolved_without_snapshot_or_retry_check_is_MMU0004_at_the_stored_value() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm, PfnCache gpc, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    gpc.Pfn = {|MMU0004:pfn|};
                    gpc.Published = {|MMU0004:pfn|};
                }
            }
            """ + Cache);

    [Fact]
    public Task A_store_after_the_snapshot_and_a_no_retry_check_is_clean() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm, Notifier notifier, PfnCache gpc, ulong hva)
                {
                    while (true)
                    {
                        var seq = notifier.SnapshotSequence();
                        var pfn = mm.FollowPte(hva);
                        if (notifier.MustRetry(seq))
                        {
                            continue;
                        }

                        gpc.Pfn = pfn;
                        return;
                    }
                }
            }
            """ + Cache);

    [Fact]
    public Task A_store_on_the_retry_edge_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm, Notifier notifier, PfnCache gpc, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    if (notifier.MustRetry(seq))
                    {
                        gpc.Pfn = {|MMU0004:pfn|};
                        return;
                    }

                    try { gpc.Pfn = pfn; }
                    finally { seq = 0; }
                }
            }
            """ + Cache);

    [Fact]
    public Task A_store_inside_a_lambda_follows_the_lambdas_own_discipline() =>
        Verify.VerifyAsync("""
            using System;

            class Refresh
            {
                Action Later(HostMm mm, PfnCache gpc, ulong hva) => () =>
                {
                    var pfn = mm.FollowPte(hva);
                    gpc.Pfn = {|MMU0004:pfn|};
                };
            }
            """ + Cache);

    [Fact]
    public Task A_pinning_notifier_covered_cache_takes_the_pin_as_any_owning_member_does() =>
        Verify.VerifyAsync("""
            using MmuGuard;

            sealed class GfnToPfnCache
            {
                // v5.17 kvm_gfn_to_pfn_cache: gpc->pfn keeps the hva_to_pfn() reference and the notifier invalidates it.
                [Pinned, NotifierCovered] public Pfn Pfn;

                // The refresh as fixed by 3dddf65b4f4c and 58cd407ca4c6: the old reference is put once the new one is
                // published, and the publication passed a retry check since a snapshot taken before the lookup.
                void Refresh(HostMm mm, PageRefs refs, Notifier notifier, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var fresh = mm.GetUserPages(hva);
                    if (notifier.MustRetry(seq))
                    {
                        refs.Unpin(fresh);
                        return;
                    }

                    var old = Pfn;
                    refs.MarkDirty(old);
                    Pfn = fresh;
                    refs.Unpin(old);
                }
            }
            """);

    [Fact]
    public Task A_pinned_pfn_published_into_a_pinning_covered_cache_without_the_check_is_reported() =>
        Verify.VerifyAsync("""
            using MmuGuard;

            sealed class GfnToPfnCache
            {
                [Pinned, NotifierCovered] public Pfn Pfn;

                // v5.17 kvm_gfn_to_pfn_cache_refresh(): the lookup's retry check ran in a callee, the publication
                // here has none, so an invalidation in between leaves a stale pfn in the cache (58cd407ca4c6).
                void Refresh(HostMm mm, PageRefs refs, ulong hva)
                {
                    var old = Pfn;
                    Pfn = {|MMU0004:mm.GetUserPages(hva)|};
                    refs.Unpin(old);
                }
            }
            """);
}
