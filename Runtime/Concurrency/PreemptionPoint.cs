namespace MmuGuard.Concurrency;

/// <summary>
/// A step where, in the kernel, another CPU can run between two statements of a KVM path: the Runtime calls the
/// attached <see cref="IInterleavingScheduler"/> there, so an explorer can switch operations exactly where the real
/// races happen.
/// </summary>
public enum PreemptionPoint
{
    /// <summary>A fault read <c>mmu_invalidate_seq</c> and has not resolved the PFN yet.</summary>
    AfterSequenceSnapshot,

    /// <summary>A fault resolved its PFN (GUP may sleep) and has not taken <c>mmu_lock</c> yet.</summary>
    AfterResolve,

    /// <summary>A fault holds <c>mmu_lock</c> and passed (or failed) its retry check, before it installs.</summary>
    UnderMmuLock,

    /// <summary>A fault installed or gave up and still holds the reference GUP took.</summary>
    BeforeReferenceDrop,

    /// <summary>An invalidation raised <c>mmu_invalidate_in_progress</c> (zap start) and has not zapped yet.</summary>
    AfterInvalidateBegin,

    /// <summary>An invalidation cleared the stage-2 entries of its range (zap clear) and told covered mappings.</summary>
    AfterZap,

    /// <summary>The host changed its page tables and the invalidation has not bumped the sequence yet (zap end).</summary>
    BeforeInvalidateEnd,

    /// <summary>A PFN-cache refresh resolved its frame and has not taken the cache lock to check and publish it.</summary>
    GpcBetweenResolveAndLock,

    /// <summary>A PFN-cache user checked the cache under its lock; what it does next must still hold the lock.</summary>
    GpcAfterCheck,

    /// <summary>A vCPU is about to service its requests and enter guest mode.</summary>
    BeforeGuestEntry,

    /// <summary>A vCPU runs in guest mode: the hardware consumes the addresses in its hardware fields.</summary>
    InGuest,

    /// <summary>A memslot is being added or removed: the invalidation over it is in progress.</summary>
    DuringMemslotUpdate,
}
