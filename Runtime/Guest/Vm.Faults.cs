using MmuGuard.Concurrency;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Guest;

// The stage-2 fault path: resolve, retry under mmu_lock, install, release, per KvmPolicy.
public sealed partial class Vm
{
    /// <summary>Handles one read fault on <paramref name="gfn"/>; see <see cref="HandleFault(Gfn, bool)"/>.</summary>
    public FaultResult HandleFault(Gfn gfn) => HandleFault(gfn, write: false);

    /// <summary>
    /// Handles one stage-2 fault on <paramref name="gfn"/> in KVM's order: snapshot the invalidation sequence,
    /// resolve the PFN (GUP, with <c>FOLL_WRITE</c> for a write, taking a reference; follow-pte for PfnMap/Io, with
    /// whatever reference the <see cref="Policy"/> takes), take <c>mmu_lock</c>, retry if an invalidation ran over the
    /// frame, install with the write permission the host PTE and the memslot allow, release the reference (under the
    /// lock since 6.13, <c>kvm_release_faultin_page</c>; after unlocking before). A write to a frame mapped read-only
    /// in stage-2 is a permission fault and resolves again.
    /// </summary>
    public FaultResult HandleFault(Gfn gfn, bool write)
    {
        ThrowIfUnusable();
        if (Stage2.TryLookup(gfn, out _, out var mappedWritable) && (mappedWritable || !write))
        {
            return FaultResult.AlreadyMapped;
        }

        var snapshot = _sequence.Snapshot();
        Preempt(PreemptionPoint.AfterSequenceSnapshot);
        if (!FindMemslot(gfn, out var slot))
        {
            return FaultResult.NoMemslot;
        }

        if (write && slot.IsReadOnly)
        {
            return FaultResult.ReadOnlyFault; // KVM_HVA_ERR_RO_BAD -> KVM_PFN_ERR_RO_FAULT
        }

        var hva = slot.HostAddressOf(gfn);
        var vma = _mm.FindVma(hva);
        if (vma is null)
        {
            return FaultResult.NotPresent;
        }

        if (vma.RefusesGetUserPages)
        {
            if (!_mm.TryFollowPte(hva, out var borrowed, out var pteWritable))
            {
                return FaultResult.NotPresent;
            }

            return Policy switch
            {
                KvmPolicy.Pre2021 => FaultRemappedBefore613(gfn, slot, borrowed, !slot.IsReadOnly, snapshot),
                KvmPolicy.Fix2021 when write && !pteWritable => FaultResult.ReadOnlyFault,
                KvmPolicy.Fix2021 => FaultRemappedBefore613(gfn, slot, borrowed, pteWritable && !slot.IsReadOnly, snapshot),
                _ when write && !pteWritable => FaultResult.ReadOnlyFault,
                _ => InstallUnderMmuLock(gfn, slot, borrowed, pteWritable && !slot.IsReadOnly, snapshot),
            };
        }

        if (!_mm.TryGetUserPages(hva, write, out var pinned, out var hostWritable))
        {
            return write && !vma.IsWritable ? FaultResult.Refused : FaultResult.NotPresent;
        }

        var mapWritable = hostWritable && !slot.IsReadOnly;
        BeforeInstall?.Invoke(gfn);
        Preempt(PreemptionPoint.AfterResolve);
        var result = FaultResult.Retry;
        if (Policy == KvmPolicy.Kvm613)
        {
            using (_mmuLock.Hold())
            {
                var retry = _sequence.MustRetry(snapshot, gfn.Value);
                Preempt(PreemptionPoint.UnderMmuLock);
                if (!retry)
                {
                    InstallChecked(gfn, slot, pinned, mapWritable);
                    result = FaultResult.Installed;
                }

                Preempt(PreemptionPoint.BeforeReferenceDrop);

                // kvm_release_faultin_page: under mmu_lock; an unused page is put without being marked.
                if (result == FaultResult.Installed)
                {
                    _memory.MarkReleased(pinned, mapWritable);
                }

                _memory.Unpin(pinned);
            }

            return result;
        }

        using (_mmuLock.Hold())
        {
            var retry = _sequence.MustRetry(snapshot);
            Preempt(PreemptionPoint.UnderMmuLock);
            if (!retry)
            {
                InstallChecked(gfn, slot, pinned, mapWritable);
                result = FaultResult.Installed;
            }
        }

        Preempt(PreemptionPoint.BeforeReferenceDrop);

        // Before 6.13 the page was released after mmu_lock was dropped (kvm_release_pfn_clean).
        _memory.MarkAccessed(pinned);
        _memory.Unpin(pinned);
        return result;
    }

    /// <summary>Zaps every stage-2 entry (<c>kvm_mmu_zap_all</c>); returns how many went.</summary>
    public int ZapAll()
    {
        CheckThread();
        using (_mmuLock.Hold())
        {
            return Stage2.ZapAll();
        }
    }

    // kvm_get_pfn before CVE-2021-22543 was fixed: get_page on whatever follow_pfn returned. A frame the allocator
    // already took back (freed by an earlier replay of the bug) is reported and refused instead of corrupting the
    // allocator, so a replay keeps running.
    private bool TryPinUnconditionally([TryAcquiresPin, MayBeNonRefcounted] Pfn pfn, string operation)
    {
        if (_memory.IsFree(pfn))
        {
            if (Sanitizer is { Enabled: true } sanitizer)
            {
                sanitizer.Report(FindingKind.PinOfNonRefcountedPage, pfn, Name, operation, "kvm_get_pfn on a frame that is free in the allocator: an earlier unpin already freed it under its driver");
            }

            return false;
        }

#pragma warning disable MMU0002 // KvmPolicy.Pre2021 replays the CVE on purpose; the sanitizer reports what follows.
        _memory.Pin(pfn);
#pragma warning restore MMU0002
        return true;
    }

    // The pre-6.13 hva_to_pfn_remapped for a fault: reserved and page-less frames pass with no reference; the rest
    // get the policy's reference (TryGetRemappedReference), held across the install and put after unlock.
    // `writable` is the policy's: Pre2021 maps writable whatever the PTE says (bd2fae8da794), Fix2021 asks the PTE.
    private FaultResult FaultRemappedBefore613(Gfn gfn, Memslot slot, [MayBeNonRefcounted] Pfn pfn, bool writable, ulong snapshot)
    {
        if (IsReservedPfn(pfn))
        {
            return InstallUnderMmuLock(gfn, slot, pfn, writable, snapshot);
        }

        if (!TryGetRemappedReference(pfn, nameof(HandleFault)))
        {
            return FaultResult.Refused;
        }

        var result = InstallUnderMmuLock(gfn, slot, pfn, writable, snapshot);
        _memory.Unpin(pfn);
        return result;
    }

    // kvm_is_reserved_pfn: a frame with no descriptor, or reserved memory; the pre-6.13 policies take no reference on it.
    private bool IsReservedPfn(Pfn pfn) => !_memory.HasDescriptor(pfn) || _memory.IsReserved(pfn);

    // The reference the pre-6.13 policies take on remapped memory: Pre2021's kvm_get_pfn takes one unconditionally
    // (the CVE); Fix2021's kvm_try_get_pfn (f8be156be163) is get_page_unless_zero on the raw page, so a compound tail
    // or a non-refcounted page is refused.
    private bool TryGetRemappedReference([TryAcquiresPin, MayBeNonRefcounted] Pfn pfn, string operation) =>
        Policy == KvmPolicy.Pre2021 ? TryPinUnconditionally(pfn, operation) : _memory.TryGetRaw(pfn);

    // The install half of a fault that holds no reference the lock must see released.
    private FaultResult InstallUnderMmuLock(Gfn gfn, Memslot slot, Pfn pfn, bool writable, ulong snapshot)
    {
        BeforeInstall?.Invoke(gfn);
        Preempt(PreemptionPoint.AfterResolve);
        using (_mmuLock.Hold())
        {
            var retry = Policy == KvmPolicy.Kvm613 ? _sequence.MustRetry(snapshot, gfn.Value) : _sequence.MustRetry(snapshot);
            Preempt(PreemptionPoint.UnderMmuLock);
            if (retry)
            {
                return FaultResult.Retry;
            }

            InstallChecked(gfn, slot, pfn, writable);
            return FaultResult.Installed;
        }
    }

    // Installs under mmu_lock; a writable entry is logged dirty (make_spte), and the sanitizer checks that the host
    // really lets the guest write what stage-2 now lets it write.
    private void InstallChecked(Gfn gfn, Memslot slot, Pfn pfn, bool writable)
    {
        if (writable && Sanitizer is { Enabled: true } sanitizer && !HostAllowsWrite(slot, gfn, out var why))
        {
            sanitizer.Report(FindingKind.WritableMappingOfReadOnlyPage, pfn, Name + " stage-2", nameof(HandleFault), $"{gfn} installed writable although {why} (bd2fae8da794)");
        }

        Stage2.Install(gfn, pfn, writable);
        if (writable)
        {
            slot.MarkDirty(gfn);
        }
    }

    private bool HostAllowsWrite(Memslot slot, Gfn gfn, out string why)
    {
        if (slot.IsReadOnly)
        {
            why = "its memslot is read-only";
            return false;
        }

        var hva = slot.HostAddressOf(gfn);
        if (_mm.TryFollowPte(hva, out _, out var pteWritable) && !pteWritable)
        {
            why = "the host PTE at " + hva + " is read-only";
            return false;
        }

        why = string.Empty;
        return true;
    }
}
