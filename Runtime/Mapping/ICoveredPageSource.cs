using MmuGuard.Guest;
using MmuGuard.Physical;

namespace MmuGuard.Mapping;

/// <summary>
/// Resolves guest frames for notifier-covered mappings (KVM's <c>gfn_to_pfn_cache</c>): no pin is taken, so
/// non-refcounted pages are allowed, and the source calls the owner back when an MMU-notifier invalidation covers a
/// tracked frame.
/// </summary>
public interface ICoveredPageSource
{
    /// <summary>Snapshots the invalidation sequence (<c>mmu_invalidate_seq</c>) before a resolve.</summary>
    [SnapshotsInvalidationSequence]
    ulong SnapshotSequence();

    /// <summary>
    /// Resolves <paramref name="gfn"/> to a PFN without taking a reference. Returns <see langword="false"/> with the
    /// reason in <paramref name="refusal"/> when nothing backs it.
    /// </summary>
    bool TryResolve(Gfn gfn, [Borrowed, MayBeNonRefcounted] out Pfn pfn, out PinRefusal refusal);

    /// <summary>
    /// Whether an invalidation ran or is running since <paramref name="snapshot"/> (<c>mmu_invalidate_retry</c>):
    /// the resolved PFN must then be dropped and the resolve retried.
    /// </summary>
    [ChecksInvalidationRetry]
    bool MustRetry(ulong snapshot);

    /// <summary>
    /// Asks to be told, through <see cref="INotifierCoveredMappingOwner.InvalidateCoveredMapping"/> with
    /// <paramref name="slot"/>, when an invalidation covers <paramref name="gfn"/>. One registration per
    /// (owner, slot): registering again replaces the frame tracked for that slot.
    /// </summary>
    void Track(INotifierCoveredMappingOwner owner, int slot, Gfn gfn);

    /// <summary>Stops tracking (<paramref name="owner"/>, <paramref name="slot"/>); a no-op when it is not tracked.</summary>
    void Untrack(INotifierCoveredMappingOwner owner, int slot);
}
