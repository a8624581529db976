using System;

namespace MmuGuard.Host;

/// <summary>
/// One subscriber's view of invalidations (<c>mmu_invalidate_seq</c> and <c>mmu_invalidate_in_progress</c>): a
/// resolver snapshots it before resolving a PFN and checks it under its lock before installing the PFN.
/// </summary>
public sealed class InvalidationSequence
{
    /// <summary>The number of completed invalidations.</summary>
    public ulong Value { get; private set; }

    /// <summary>How many invalidations have started and not yet ended.</summary>
    public int InProgress { get; private set; }

    /// <summary>Reads the sequence before a resolve.</summary>
    [SnapshotsInvalidationSequence]
    public ulong Snapshot() => Value;

    /// <summary>Whether a PFN resolved after <paramref name="snapshot"/> may be stale: an invalidation is running or completed since.</summary>
    [ChecksInvalidationRetry]
    public bool MustRetry(ulong snapshot) => InProgress != 0 || Value != snapshot;

    /// <summary>Marks an invalidation as started (<c>invalidate_range_start</c>).</summary>
    public void Begin() => InProgress++;

    /// <summary>Marks an invalidation as done: the sequence moves on (<c>invalidate_range_end</c>).</summary>
    /// <exception cref="InvalidOperationException">No invalidation is in progress.</exception>
    public void End()
    {
        if (InProgress == 0)
        {
            throw new InvalidOperationException("An invalidation ended that never started.");
        }

        Value++;
        InProgress--;
    }
}
