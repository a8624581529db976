using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.NotifierSequenceRule>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0004: a PFN resolved in the body (borrowed or pinned) enters a notifier-covered sink only between a snapshot taken before its resolve and a passed retry check.</summary>
public sealed class Mmu0004NotifierSequenceTests
{
    [Fact]
    public Task Snapshot_resolve_check_install_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                readonly object _mmuLock = new object();

                FaultResult Handle(HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    lock (_mmuLock)
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
            """);

    [Fact]
    public Task Missing_snapshot_is_reported_with_its_reason() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Handle(HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva, ulong staleSeq)
                {
                    var pfn = mm.FollowPte(hva);
                    if (notifier.MustRetry(staleSeq)) return;
                    stage2.Install(gfn, {|#0:pfn|});
                }
            }
            """,
            Verify.Diagnostic("MMU0004").WithLocation(0)
                .WithArguments("pfn", "Install", "without an invalidation-sequence snapshot taken before it was resolved"));

    [Fact]
    public Task Snapshot_taken_after_the_resolve_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Handle(HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    var seq = notifier.SnapshotSequence();
                    if (notifier.MustRetry(seq)) return;
                    stage2.Install(gfn, {|MMU0004:pfn|});
                }
            }
            """);

    [Fact]
    public Task Missing_retry_check_is_reported_with_its_reason() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Handle(HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    if (!mm.TryFollowPte(hva, out var pfn)) return;
                    stage2.Install(gfn, {|#0:pfn|});
                }
            }
            """,
            Verify.Diagnostic("MMU0004").WithLocation(0)
                .WithArguments("pfn", "Install", "without an invalidation retry check after it was resolved"));

    [Fact]
    public Task Retry_outcome_that_still_reaches_the_install_is_reported() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Handle(HostMm mm, Notifier notifier, Stage2 stage2, PageRefs refs, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    if (notifier.MustRetry(seq))
                    {
                        refs.Log(pfn);
                    }

                    stage2.Install(gfn, {|#0:pfn|});
                }
            }
            """,
            Verify.Diagnostic("MMU0004").WithLocation(0)
                .WithArguments("pfn", "Install", "on a path where the retry check asked for a retry"));

    [Fact]
    public Task Retry_check_stored_in_a_bool_is_understood() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Handle(HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    var retry = notifier.MustRetry(seq);
                    if (retry is true) return;
                    stage2.Install(gfn, pfn);
                }
            }
            """);

    [Fact]
    public Task Retry_loop_that_resolves_again_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Handle(HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    while (true)
                    {
                        var seq = notifier.SnapshotSequence();
                        var pfn = mm.FollowPte(hva);
                        if (notifier.MustRetry(seq))
                        {
                            continue;
                        }

                        stage2.Install(gfn, pfn);
                        return;
                    }
                }
            }
            """);

    [Fact]
    public Task Check_skipped_on_one_branch_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Handle(HostMm mm, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva, bool fast)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    if (!fast && notifier.MustRetry(seq)) return;
                    stage2.Install(gfn, {|MMU0004:pfn|});
                }
            }
            """);

    [Fact]
    public Task Borrowed_parameters_are_not_judged_here() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Fault
            {
                void Given(Stage2 stage2, ulong gfn, [Borrowed] Pfn pfn) => stage2.Install(gfn, pfn);
            }
            """);

    [Fact]
    public Task A_pfn_pinned_by_its_resolve_still_needs_the_discipline() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                // Pre-6.13 x86/arm64 faults GUP a refcounted page; the pin keeps the page, not the host mapping.
                void Gup(HostMm mm, PageRefs refs, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    stage2.Install(gfn, {|#0:pfn|});
                    refs.Unpin(pfn);
                }
            }
            """,
            Verify.Diagnostic("MMU0004").WithLocation(0)
                .WithArguments("pfn", "Install", "without an invalidation-sequence snapshot taken before it was resolved"));

    [Fact]
    public Task A_pinned_pfn_installed_after_a_passed_retry_check_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                readonly object _mmuLock = new object();

                FaultResult Handle(HostMm mm, PageRefs refs, Notifier notifier, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.GetUserPages(hva);
                    try
                    {
                        lock (_mmuLock)
                        {
                            if (notifier.MustRetry(seq))
                            {
                                return FaultResult.Retry;
                            }

                            stage2.Install(gfn, pfn);
                        }
                    }
                    finally
                    {
                        refs.Unpin(pfn);
                    }

                    return FaultResult.Installed;
                }
            }
            """);

    [Fact]
    public Task A_try_pinned_out_value_installed_on_the_retry_edge_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Handle(GuestMemory memory, PageRefs refs, Notifier notifier, Stage2 stage2, ulong gfn)
                {
                    var seq = notifier.SnapshotSequence();
                    if (!memory.TryPinGuestPage(gfn, out var pfn, out _))
                    {
                        return;
                    }

                    if (notifier.MustRetry(seq))
                    {
                        stage2.Install(gfn, {|MMU0004:pfn|});
                    }

                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task A_pinned_parameter_is_its_callers_to_check() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Fault
            {
                void Given(Stage2 stage2, ulong gfn, [RequiresPin] Pfn pfn) => stage2.Install(gfn, pfn);
            }
            """);

    [Fact]
    public Task Install_inside_a_lambda_is_judged_on_its_own() =>
        Verify.VerifyInSimAsync("""
            using System;

            class Fault
            {
                Action Later(HostMm mm, Stage2 stage2, ulong gfn, ulong hva) => () =>
                {
                    var pfn = mm.FollowPte(hva);
                    stage2.Install(gfn, {|MMU0004:pfn|});
                };
            }
            """);
}
