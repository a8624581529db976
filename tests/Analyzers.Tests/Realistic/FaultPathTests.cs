using System.Threading.Tasks;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Realistic;

/// <summary>
/// The x86 TDP fault path (<c>kvm_tdp_page_fault</c> → <c>kvm_faultin_pfn</c> → <c>kvm_tdp_mmu_map</c>) after
/// "KVM: Stop grabbing references to PFNMAP'd pages": snapshot <c>mmu_invalidate_seq</c>, resolve the PFN (try to
/// take a reference when a refcounted page backs it), take <c>mmu_lock</c>, bail out on
/// <c>is_page_fault_stale</c>, install the SPTE, unlock, release the reference if one was taken. Each variant drops
/// or breaks exactly one step; the rules flag exactly that step.
/// </summary>
public sealed class FaultPathTests
{
    private const string Correct = """
        sealed class TdpMmu
        {
            private readonly object _mmuLock = new object();
            private readonly HostMm _mm;
            private readonly Notifier _notifier;
            private readonly Stage2 _stage2;
            private readonly PageRefs _pages;

            TdpMmu(HostMm mm, Notifier notifier, Stage2 stage2, PageRefs pages) { _mm = mm; _notifier = notifier; _stage2 = stage2; _pages = pages; }

            FaultResult PageFault(ulong gfn, ulong hva)
            {
                var mmuSeq = _notifier.SnapshotSequence();
                var pfn = _mm.FollowPte(hva);
                var refcountedPage = _pages.TryPin(pfn);
                lock (_mmuLock)
                {
                    if (_notifier.MustRetry(mmuSeq))
                    {
                        if (refcountedPage) _pages.Unpin(pfn);
                        return FaultResult.Retry;
                    }

                    _stage2.Install(gfn, pfn);
                }

                if (refcountedPage) _pages.Unpin(pfn);
                return FaultResult.Installed;
            }
        }
        """;

    [Fact]
    public Task Snapshot_resolve_lock_retry_install_release_is_clean() => Verify.VerifyAsync(Correct);

    [Fact]
    public Task Missing_snapshot_is_flagged_at_the_install() =>
        Verify.VerifyAsync(Variant(
            ("var mmuSeq = _notifier.SnapshotSequence();", "ulong mmuSeq = 0;"),
            ("_stage2.Install(gfn, pfn);", "_stage2.Install(gfn, {|MMU0004:pfn|});")));

    [Fact]
    public Task Missing_retry_check_is_flagged_at_the_install() =>
        Verify.VerifyAsync(Variant(
            ("if (_notifier.MustRetry(mmuSeq))", "if (mmuSeq == ulong.MaxValue)"),
            ("_stage2.Install(gfn, pfn);", "_stage2.Install(gfn, {|MMU0004:pfn|});")));

    [Fact]
    public Task Retry_outcome_falling_through_to_the_install_is_flagged() =>
        Verify.VerifyAsync(Variant(
            ("""
            if (refcountedPage) _pages.Unpin(pfn);
                            return FaultResult.Retry;
            """, "_pages.Log(pfn);"),
            ("_stage2.Install(gfn, pfn);", "_stage2.Install(gfn, {|MMU0004:pfn|});")));

    [Fact]
    public Task Missing_release_after_the_install_is_a_leak() =>
        Verify.VerifyAsync(Variant(
            ("""
            if (refcountedPage) _pages.Unpin(pfn);
                    return FaultResult.Installed;
            """, "{|MMU0005:return|} FaultResult.Installed;")));

    [Fact]
    public Task Missing_release_on_the_retry_path_is_a_leak() =>
        Verify.VerifyAsync(Variant(
            ("""
            if (refcountedPage) _pages.Unpin(pfn);
                            return FaultResult.Retry;
            """, "{|MMU0005:return|} FaultResult.Retry;")));

    [Fact]
    public Task Unconditional_release_of_a_maybe_unpinned_pfn_is_unbalanced() =>
        Verify.VerifyAsync(Variant(
            ("""
            if (refcountedPage) _pages.Unpin(pfn);
                    return FaultResult.Installed;
            """, """
            _pages.Unpin({|MMU0007:pfn|});
                    return FaultResult.Installed;
            """)));

    [Fact]
    public Task Unconditional_get_page_instead_of_the_try_is_the_cve_shape() =>
        Verify.VerifyAsync(Variant(
            ("var refcountedPage = _pages.TryPin(pfn);", "_pages.Pin({|MMU0002:pfn|}); var refcountedPage = true;")));

    private static string Variant(params (string Correct, string Broken)[] edits) => SourceVariant.Apply(Correct, edits);
}
