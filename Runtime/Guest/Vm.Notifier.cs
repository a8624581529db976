using System;
using MmuGuard.Concurrency;
using MmuGuard.Host;
using MmuGuard.Mapping;
using MmuGuard.Physical;

namespace MmuGuard.Guest;

// The MMU-notifier side: the invalidation sequence, covered mappings the VM calls back, and the zaps.
public sealed partial class Vm
{
    /// <inheritdoc />
    [SnapshotsInvalidationSequence]
    public ulong SnapshotSequence()
    {
        CheckThread();
        return _sequence.Snapshot();
    }

    /// <inheritdoc />
    [ChecksInvalidationRetry]
    public bool MustRetry(ulong snapshot)
    {
        CheckThread();
        return _sequence.MustRetry(snapshot);
    }

    /// <summary>Whether a PFN for <paramref name="gfn"/> resolved after <paramref name="snapshot"/> may be stale (<c>mmu_invalidate_retry_gfn</c>): only an invalidation over the frame, or one completed since, counts.</summary>
    [ChecksInvalidationRetry]
    public bool MustRetry(ulong snapshot, Gfn gfn)
    {
        CheckThread();
        return _sequence.MustRetry(snapshot, gfn.Value);
    }

    /// <inheritdoc />
    public bool TryResolve(Gfn gfn, [Borrowed, MayBeNonRefcounted] out Pfn pfn, out PinRefusal refusal)
    {
        ThrowIfUnusable();
        var vma = Locate(gfn, out var hva, out refusal);
        if (vma is not null && vma.IsAnonymous)
        {
            if (_mm.TryFaultIn(hva, out pfn))
            {
                return true;
            }

            refusal = PinRefusal.NotPresent;
            return false;
        }

        if (vma is not null && _mm.TryFollowPte(hva, out pfn))
        {
            return true;
        }

        refusal = vma is null ? refusal : PinRefusal.NotPresent;
        pfn = default;
        return false;
    }

    /// <inheritdoc />
    public void Track(INotifierCoveredMappingOwner owner, int slot, Gfn gfn)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ThrowIfUnusable();
        var index = IndexOfTracked(owner, slot);
        var registration = new CoveredMappingRegistration(owner, slot, gfn);
        if (index >= 0)
        {
            _tracked[index] = registration;
        }
        else
        {
            _tracked.Add(registration);
        }
    }

    /// <inheritdoc />
    public void Untrack(INotifierCoveredMappingOwner owner, int slot)
    {
        CheckThread();
        var index = IndexOfTracked(owner, slot);
        if (index >= 0)
        {
            _tracked.RemoveAt(index);
        }
    }

    // kvm_mmu_notifier_invalidate_range_start: the invalidation counts (in progress, then a sequence bump at the end)
    // only when a memslot overlaps the range; its guest frames widen the in-progress range.
    void IMmuNotifier.InvalidateRangeStart(HostRange range)
    {
        CheckThread();
        var counted = false;
        foreach (var slot in _memslots)
        {
            if (slot.TryGetGfnRange(range, out var first, out var count))
            {
                if (!counted)
                {
                    _sequence.Begin();
                    counted = true;
                }

                _sequence.AddRange(first.Value, count);
                Preempt(PreemptionPoint.AfterInvalidateBegin);
                InvalidateGuestRange(first, count);
                Preempt(PreemptionPoint.AfterZap);
            }
        }

        _countedInvalidations.Add(counted);
    }

    void IMmuNotifier.InvalidateRangeEnd(HostRange range)
    {
        CheckThread();
        Preempt(PreemptionPoint.BeforeInvalidateEnd);
        var last = _countedInvalidations.Count - 1;
        var counted = last >= 0 && _countedInvalidations[last];
        if (last >= 0)
        {
            _countedInvalidations.RemoveAt(last);
        }

        if (counted)
        {
            _sequence.End();
        }
    }

    private void InvalidateGuestRange(Gfn first, ulong count)
    {
        using (_mmuLock.Hold())
        {
            if (Stage2.ZapRange(first, count) != 0)
            {
                // kvm_flush_remote_tlbs: every vCPU drops its cached translations before the host may reuse the pages.
                foreach (var vcpu in _vcpus)
                {
                    vcpu.RequestAndKick(VcpuRequests.TlbFlush);
                }
            }
        }

        _toInvalidate.Clear();
        foreach (var registration in _tracked)
        {
            if (registration.Gfn.Value - first.Value < count)
            {
                _toInvalidate.Add(registration);
            }
        }

        if (_toInvalidate.Count == 0)
        {
            return;
        }

        // A copy: an owner's callback may kick a vCPU and wait, and under a scheduler another invalidation may run then.
        foreach (var registration in _toInvalidate.ToArray())
        {
            registration.Owner.InvalidateCoveredMapping(registration.Slot);
        }
    }

    private Vma? Locate(Gfn gfn, out HostVirtualAddress hva, out PinRefusal refusal)
    {
        if (!TryFindMemslot(gfn, out var slot))
        {
            hva = default;
            refusal = PinRefusal.NoMemslot;
            return null;
        }

        hva = slot.HostAddressOf(gfn);
        var vma = _mm.FindVma(hva);
        refusal = vma is null ? PinRefusal.NotPresent : PinRefusal.None;
        return vma;
    }

    private int IndexOfTracked(INotifierCoveredMappingOwner owner, int slot)
    {
        for (var i = 0; i < _tracked.Count; i++)
        {
            if (ReferenceEquals(_tracked[i].Owner, owner) && _tracked[i].Slot == slot)
            {
                return i;
            }
        }

        return -1;
    }
}
