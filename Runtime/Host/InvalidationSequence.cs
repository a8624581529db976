using System;

namespace MmuGuard.Host;

/// <summary>
/// One subscriber's view of invalidations (<c>mmu_invalidate_seq</c>, <c>mmu_invalidate_in_progress</c> and the
/// in-progress range <c>mmu_invalidate_range_start/end</c>): a resolver snapshots it before resolving a PFN and
/// checks it under its lock before installing the PFN.
/// </summary>
public sealed class InvalidationSequence
{
    private ulong _rangeStart;
    private ulong _rangeEnd;

    /// <summary>The number of completed invalidations.</summary>
    public ulong Value { get; private set; }

    /// <summary>How many invalidations have started and not yet ended.</summary>
    public int InProgress { get; private set; }

    /// <summary>Reads the sequence before a resolve.</summary>
    [SnapshotsInvalidationSequence]
    public ulong Snapshot() => Value;

    /// <summary>Whether a PFN resolved after <paramref name="snapshot"/> may be stale: an invalidation is running or completed since (<c>mmu_invalidate_retry</c>).</summary>
    [ChecksInvalidationRetry]
    public bool MustRetry(ulong snapshot) => InProgress != 0 || Value != snapshot;

    /// <summary>
    /// Whether a PFN for frame <paramref name="frame"/> resolved after <paramref name="snapshot"/> may be stale
    /// (<c>mmu_invalidate_retry_gfn</c>): an invalidation completed since, or one is running over a range that
    /// contains the frame. Running invalidations elsewhere do not force a retry.
    /// </summary>
    [ChecksInvalidationRetry]
    public bool MustRetry(ulong snapshot, ulong frame) =>
        Value != snapshot || (InProgress != 0 && frame >= _rangeStart && frame < _rangeEnd);

    /// <summary>Marks an invalidation as started (<c>kvm_mmu_invalidate_begin</c>); the first one resets the in-progress range.</summary>
    public void Begin()
    {
        InProgress++;
        if (InProgress == 1)
        {
            _rangeStart = 0;
            _rangeEnd = 0;
        }
    }

    /// <summary>
    /// Widens the in-progress range to cover frames [<paramref name="first"/>, <paramref name="first"/> +
    /// <paramref name="count"/>) (<c>kvm_mmu_invalidate_range_add</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No invalidation is in progress.</exception>
    public void AddRange(ulong first, ulong count)
    {
        if (InProgress == 0)
        {
            throw new InvalidOperationException("An invalidation range was added with no invalidation in progress.");
        }

        var end = first + count;
        if (_rangeStart == _rangeEnd)
        {
            _rangeStart = first;
            _rangeEnd = end;
            return;
        }

        _rangeStart = Math.Min(_rangeStart, first);
        _rangeEnd = Math.Max(_rangeEnd, end);
    }

    /// <summary>Marks an invalidation as done: the sequence moves on (<c>kvm_mmu_invalidate_end</c>).</summary>
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
