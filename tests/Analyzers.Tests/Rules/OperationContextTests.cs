using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// Issue 9, item 6: per-operation context objects. x86's <c>struct kvm_page_fault</c> (arch/x86/kvm/mmu/mmu_internal.h)
/// carries <c>pfn</c>, <c>mmu_seq</c> and <c>refcounted_page</c> through <c>kvm_faultin_pfn()</c> and
/// <c>is_page_fault_stale()</c>: a type marked <c>[OperationContext]</c> is not long-lived storage (no MMU0009), and a
/// body follows what it stores into its members, so <c>fault.Pfn</c> keeps its invalidation-sequence facts.
/// </summary>
public sealed class OperationContextTests
{
    private const string Types = """

        [MmuGuard.OperationContext]
        sealed class PageFault
        {
            public ulong Gfn;
            public ulong MmuSeq;
            public Pfn Pfn;
        }

        sealed class LongLived
        {
            public Pfn Pfn;
        }

        [MmuGuard.InvalidationLock]
        sealed class MmuLock
        {
            [MmuGuard.AcquiresLock] public void Lock() { }
            [MmuGuard.ReleasesLock] public void Unlock() { }
        }
        """;

    [Fact]
    public Task A_borrowed_pfn_stored_in_an_operation_context_is_not_long_lived() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Faultin(HostMm mm, PageFault fault, ulong hva)
                {
                    fault.Pfn = mm.FollowPte(hva);
                }
            }
            """ + Types);

    [Fact]
    public Task The_same_store_into_an_ordinary_object_is_MMU0009() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Faultin(HostMm mm, LongLived cache, ulong hva)
                {
                    cache.Pfn = {|MMU0009:mm.FollowPte(hva)|};
                }
            }
            """ + Types);

    [Fact]
    public Task A_context_pfn_checked_and_installed_under_the_lock_is_clean() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult PageFault(HostMm mm, Notifier notifier, Stage2 stage2, MmuLock mmuLock, PageFault fault, ulong hva)
                {
                    fault.MmuSeq = notifier.SnapshotSequence();
                    fault.Pfn = mm.FollowPte(hva);
                    mmuLock.Lock();
                    try
                    {
                        if (notifier.MustRetry(fault.MmuSeq))
                        {
                            return FaultResult.Retry;
                        }

                        stage2.Install(fault.Gfn, fault.Pfn);
                        return FaultResult.Installed;
                    }
                    finally
                    {
                        mmuLock.Unlock();
                    }
                }
            }
            """ + Types);

    [Fact]
    public Task A_context_pfn_installed_without_the_stale_check_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult PageFault(HostMm mm, Notifier notifier, Stage2 stage2, MmuLock mmuLock, PageFault fault, ulong hva)
                {
                    fault.MmuSeq = notifier.SnapshotSequence();
                    fault.Pfn = mm.FollowPte(hva);
                    mmuLock.Lock();
                    stage2.Install(fault.Gfn, {|MMU0004:fault.Pfn|});
                    mmuLock.Unlock();
                    return FaultResult.Installed;
                }
            }
            """ + Types);

    [Fact]
    public Task A_context_pfn_resolved_before_the_snapshot_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult PageFault(HostMm mm, Notifier notifier, Stage2 stage2, MmuLock mmuLock, PageFault fault, ulong hva)
                {
                    fault.Pfn = mm.FollowPte(hva);
                    fault.MmuSeq = notifier.SnapshotSequence();
                    mmuLock.Lock();
                    if (!notifier.MustRetry(fault.MmuSeq))
                    {
                        stage2.Install(fault.Gfn, {|MMU0004:fault.Pfn|});
                    }

                    mmuLock.Unlock();
                    return FaultResult.Installed;
                }
            }
            """ + Types);

    [Fact]
    public Task A_pin_stored_in_a_context_and_released_through_it_twice_is_MMU0007() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void PageFault(HostMm mm, PageRefs pages, PageFault fault, ulong hva)
                {
                    fault.Pfn = mm.GetUserPages(hva);
                    pages.Unpin(fault.Pfn);
                    pages.Unpin({|MMU0007:fault.Pfn|});
                }
            }
            """ + Types);

    [Fact]
    public Task A_new_value_stored_in_the_context_replaces_the_old_facts() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void PageFault(HostMm mm, Stage2 stage2, PageFault fault, ulong hva)
                {
                    fault.Pfn = mm.FollowPte(hva);
                    fault.Pfn = new Pfn(0);
                    stage2.Install(fault.Gfn, fault.Pfn);
                }
            }
            """ + Types);
}
