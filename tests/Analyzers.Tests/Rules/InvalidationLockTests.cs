using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// Issue 9, item 4: the retry check and the install must sit in one critical section of the lock MMU-notifier
/// invalidations take (<c>kvm-&gt;mmu_lock</c>). KVM's fault handlers (arch/arm64/kvm/mmu.c user_mem_abort(),
/// arch/mips/kvm/mmu.c kvm_mips_map_page()) take mmu_lock, call mmu_invalidate_retry() and install under it. The
/// lock forms: <c>[AcquiresLock]</c>/<c>[ReleasesLock]</c> receivers and parameters, <c>lock</c>, <c>Monitor</c>
/// and a <c>using</c> scope whose <c>Dispose</c> releases.
/// </summary>
public sealed class InvalidationLockTests
{
    private const string Locks = """

        [MmuGuard.InvalidationLock]
        sealed class MmuLock
        {
            [MmuGuard.AcquiresLock] public void Lock() { }
            [MmuGuard.ReleasesLock] public void Unlock() { }
            [MmuGuard.AcquiresLock] public MmuLockScope Enter() => new MmuLockScope();
            public static void SpinLock([MmuGuard.AcquiresLock] MmuLock mmuLock) { }
            public static void SpinUnlock([MmuGuard.ReleasesLock] MmuLock mmuLock) { }
        }

        [MmuGuard.InvalidationLock]
        readonly struct MmuLockScope : System.IDisposable
        {
            [MmuGuard.ReleasesLock] public void Dispose() { }
        }

        sealed class OtherLock
        {
            [MmuGuard.AcquiresLock] public void Lock() { }
            [MmuGuard.ReleasesLock] public void Unlock() { }
        }

        sealed class Vm
        {
            public readonly MmuLock MmuLock = new MmuLock();
            public readonly OtherLock SlotsLock = new OtherLock();
            [MmuGuard.InvalidationLock] public readonly object MmuMonitor = new object();
            public readonly object Unmarked = new object();
        }
        """;

    [Fact]
    public Task Retry_check_and_install_in_one_critical_section_are_clean() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    vm.MmuLock.Lock();
                    if (notifier.MustRetry(seq))
                    {
                        vm.MmuLock.Unlock();
                        return FaultResult.Retry;
                    }

                    stage2.Install(gfn, pfn);
                    vm.MmuLock.Unlock();
                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Retry_check_made_before_the_lock_is_taken_is_MMU0004_at_the_install() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    if (notifier.MustRetry(seq))
                    {
                        return FaultResult.Retry;
                    }

                    vm.MmuLock.Lock();
                    stage2.Install(gfn, {|MMU0004:pfn|});
                    vm.MmuLock.Unlock();
                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Install_after_the_lock_was_dropped_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    vm.MmuLock.Lock();
                    var retry = notifier.MustRetry(seq);
                    vm.MmuLock.Unlock();
                    if (retry)
                    {
                        return FaultResult.Retry;
                    }

                    vm.MmuLock.Lock();
                    stage2.Install(gfn, {|MMU0004:pfn|});
                    vm.MmuLock.Unlock();
                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Retry_check_under_a_different_lock_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    vm.SlotsLock.Lock();
                    if (notifier.MustRetry(seq))
                    {
                        vm.SlotsLock.Unlock();
                        return FaultResult.Retry;
                    }

                    stage2.Install(gfn, {|MMU0004:pfn|});
                    vm.SlotsLock.Unlock();
                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Lockless_early_check_then_the_locked_check_is_clean() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    if (notifier.MustRetry(seq))
                    {
                        return FaultResult.Retry;
                    }

                    vm.MmuLock.Lock();
                    try
                    {
                        if (notifier.MustRetry(seq))
                        {
                            return FaultResult.Retry;
                        }

                        stage2.Install(gfn, pfn);
                        return FaultResult.Installed;
                    }
                    finally
                    {
                        vm.MmuLock.Unlock();
                    }
                }
            }
            """ + Locks);

    [Fact]
    public Task Lock_statement_on_a_marked_object_is_a_critical_section() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    lock (vm.MmuMonitor)
                    {
                        if (notifier.MustRetry(seq))
                        {
                            return FaultResult.Retry;
                        }

                        stage2.Install(gfn, pfn);
                    }

                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Install_after_the_lock_statement_ends_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    lock (vm.MmuMonitor)
                    {
                        if (notifier.MustRetry(seq))
                        {
                            return FaultResult.Retry;
                        }
                    }

                    stage2.Install(gfn, {|MMU0004:pfn|});
                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Lock_statement_on_an_unmarked_object_keeps_its_unannotated_meaning() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    if (notifier.MustRetry(seq))
                    {
                        return FaultResult.Retry;
                    }

                    lock (vm.Unmarked)
                    {
                        stage2.Install(gfn, pfn);
                    }

                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Install_after_Monitor_Exit_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    System.Threading.Monitor.Enter(vm.MmuMonitor);
                    if (notifier.MustRetry(seq))
                    {
                        System.Threading.Monitor.Exit(vm.MmuMonitor);
                        return FaultResult.Retry;
                    }

                    System.Threading.Monitor.Exit(vm.MmuMonitor);
                    stage2.Install(gfn, {|MMU0004:pfn|});
                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Using_scope_of_the_lock_is_a_critical_section() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    using (vm.MmuLock.Enter())
                    {
                        if (notifier.MustRetry(seq))
                        {
                            return FaultResult.Retry;
                        }

                        stage2.Install(gfn, pfn);
                    }

                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Install_after_the_using_scope_ends_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    using (vm.MmuLock.Enter())
                    {
                        if (notifier.MustRetry(seq))
                        {
                            return FaultResult.Retry;
                        }
                    }

                    stage2.Install(gfn, {|MMU0004:pfn|});
                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Lock_taken_through_an_attributed_parameter_is_a_critical_section() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    MmuLock.SpinLock(vm.MmuLock);
                    if (notifier.MustRetry(seq))
                    {
                        MmuLock.SpinUnlock(vm.MmuLock);
                        return FaultResult.Retry;
                    }

                    stage2.Install(gfn, pfn);
                    MmuLock.SpinUnlock(vm.MmuLock);
                    stage2.Install(gfn, {|MMU0004:pfn|});
                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task Lock_taken_on_one_branch_only_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva, bool locked)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    vm.SlotsLock.Lock();
                    if (!locked)
                    {
                        vm.MmuLock.Lock();
                    }

                    if (notifier.MustRetry(seq))
                    {
                        return;
                    }

                    stage2.Install(gfn, {|MMU0004:pfn|});
                }
            }
            """ + Locks);

    [Fact]
    public Task Retry_loop_that_drops_the_lock_before_retrying_is_clean() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    while (true)
                    {
                        var seq = notifier.SnapshotSequence();
                        var pfn = mm.FollowPte(hva);
                        vm.MmuLock.Lock();
                        if (notifier.MustRetry(seq))
                        {
                            vm.MmuLock.Unlock();
                            continue;
                        }

                        stage2.Install(gfn, pfn);
                        vm.MmuLock.Unlock();
                        return;
                    }
                }
            }
            """ + Locks);

    [Fact]
    public Task A_body_that_takes_no_lock_runs_under_its_callers_lock() =>
        Verify.VerifyAsync("""
            class Fault
            {
                FaultResult Run(HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    if (notifier.MustRetry(seq))
                    {
                        return FaultResult.Retry;
                    }

                    stage2.Install(gfn, pfn);
                    return FaultResult.Installed;
                }
            }
            """ + Locks);

    [Fact]
    public Task A_store_into_a_notifier_covered_member_after_the_lock_was_dropped_is_MMU0004() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(Vm vm, HostMm mm, Notifier notifier, Cache gpc, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    vm.MmuLock.Lock();
                    var retry = notifier.MustRetry(seq);
                    vm.MmuLock.Unlock();
                    if (!retry)
                    {
                        gpc.Pfn = {|MMU0004:pfn|};
                    }
                }
            }

            sealed class Cache
            {
                [MmuGuard.NotifierCovered] public Pfn Pfn;
            }
            """ + Locks);

    [Fact]
    public Task A_local_function_that_checks_and_installs_under_the_lock_is_clean() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    Map();

                    void Map()
                    {
                        var seq = notifier.SnapshotSequence();
                        var pfn = mm.FollowPte(hva);
                        vm.MmuLock.Lock();
                        if (!notifier.MustRetry(seq))
                        {
                            stage2.Install(gfn, pfn);
                        }

                        vm.MmuLock.Unlock();
                    }
                }
            }
            """ + Locks);

    [Fact]
    public Task A_lambda_is_judged_by_its_own_locking() =>
        Verify.VerifyAsync("""
            class Fault
            {
                System.Action Run(Vm vm, HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    vm.MmuLock.Lock();
                    System.Action install = () =>
                    {
                        var seq = notifier.SnapshotSequence();
                        var pfn = mm.FollowPte(hva);
                        if (notifier.MustRetry(seq))
                        {
                            return;
                        }

                        vm.MmuLock.Unlock();
                        stage2.Install(gfn, {|MMU0004:pfn|});
                    };
                    vm.MmuLock.Unlock();
                    return install;
                }
            }
            """ + Locks);
}
