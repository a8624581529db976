using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Realistic;

/// <summary>
/// KVM's <c>gfn_to_pfn_cache</c> refresh (<c>hva_to_pfn_retry</c> in virt/kvm/pfncache.c): snapshot
/// <c>mmu_invalidate_seq</c>, drop the lock, resolve, retake the lock, and loop while
/// <c>mmu_notifier_retry_cache</c> says an invalidation raced; only then publish the PFN, which the cache's notifier
/// hook invalidates later. No pin is held, so non-refcounted pages are fine.
/// </summary>
public sealed class PfnCacheRefreshTests
{
    private const string Cache = """
        using MmuGuard;

        sealed class GfnToPfnCache
        {
            private readonly object _lock = new object();
            private readonly HostMm _mm;
            private readonly Notifier _notifier;
            private readonly ulong _uhva;
            [NotifierCovered] private Pfn _pfn;
            private bool _valid;

            GfnToPfnCache(HostMm mm, Notifier notifier, ulong uhva) { _mm = mm; _notifier = notifier; _uhva = uhva; }

            void Publish([NotifierCoveredSink] Pfn pfn)
            {
                _pfn = pfn;
                _valid = true;
            }

            bool HvaToPfnRetry()
            {
                REFRESH
            }
        }
        """;

    [Fact]
    public Task Refresh_loop_with_sequence_retry_is_clean() =>
        Verify.VerifyAsync(Cache.Replace("REFRESH", """
            Pfn newPfn;
            ulong mmuSeq;
            do
            {
                mmuSeq = _notifier.SnapshotSequence();
                if (!_mm.TryFollowPte(_uhva, out newPfn))
                {
                    return false;
                }
            }
            while (_notifier.MustRetry(mmuSeq));

            lock (_lock)
            {
                Publish(newPfn);
            }

            return true;
            """));

    [Fact]
    public Task Refresh_without_the_retry_check_publishes_a_possibly_stale_pfn() =>
        Verify.VerifyAsync(Cache.Replace("REFRESH", """
            var mmuSeq = _notifier.SnapshotSequence();
            if (!_mm.TryFollowPte(_uhva, out var newPfn))
            {
                return false;
            }

            lock (_lock)
            {
                Publish({|MMU0004:newPfn|});
            }

            return true;
            """));

    [Fact]
    public Task Storing_the_pfn_in_the_notifier_covered_field_directly_is_clean_but_the_discipline_still_applies() =>
        Verify.VerifyAsync(Cache.Replace("REFRESH", """
            var mmuSeq = _notifier.SnapshotSequence();
            var newPfn = _mm.FollowPte(_uhva);
            if (_notifier.MustRetry(mmuSeq))
            {
                return false;
            }

            _pfn = newPfn;
            Publish(newPfn);
            return true;
            """));
}
