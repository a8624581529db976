using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.OutOfBandSinkRule>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0001: a PFN that may hold no pin must not reach an out-of-band sink.</summary>
public sealed class Mmu0001OutOfBandSinkTests
{
    [Fact]
    public Task Borrowed_pfn_written_to_vmcs02_is_reported_with_value_and_sink() =>
        Verify.VerifyInSimAsync(
            """
            class Nested
            {
                void Setup(HostMm mm, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    vmcs.WriteApicAccessAddress({|#0:pfn|});
                }
            }
            """,
            Verify.Diagnostic("MMU0001").WithLocation(0).WithArguments("pfn", "WriteApicAccessAddress"));

    [Fact]
    public Task Borrowed_pfn_pinned_by_a_checked_try_pin_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (!refs.TryPin(pfn))
                    {
                        return;
                    }

                    vmcs.WriteApicAccessAddress(pfn);
                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task Pin_on_one_branch_only_is_reported_as_some_path() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva, bool eager)
                {
                    var pfn = mm.FollowPte(hva);
                    if (eager && !refs.TryPin(pfn))
                    {
                        return;
                    }

                    vmcs.WriteApicAccessAddress({|MMU0001:pfn|});
                }
            }
            """);

    [Fact]
    public Task Use_on_the_failure_edge_of_a_try_pin_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(GuestMemory memory, Vmcs02 vmcs, ulong gfn)
                {
                    if (!memory.TryPinGuestPage(gfn, out var pfn, out _))
                    {
                        vmcs.WriteApicAccessAddress({|MMU0001:pfn|});
                        return;
                    }

                    vmcs.WriteVirtualApicAddress(pfn);
                }
            }
            """);

    [Fact]
    public Task Try_pin_result_stored_in_a_bool_then_tested_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    var pinned = refs.TryPin(pfn);
                    if (pinned)
                    {
                        vmcs.WriteVirtualApicAddress(pfn);
                    }
                }
            }
            """);

    [Fact]
    public Task Pattern_matching_on_the_try_pin_result_is_understood() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Clean(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (refs.TryPin(pfn) is false) return;
                    vmcs.WriteVirtualApicAddress(pfn);
                }

                void Buggy(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (refs.TryPin(pfn) is not false) return;
                    vmcs.WriteVirtualApicAddress({|MMU0001:pfn|});
                }
            }
            """);

    [Fact]
    public Task Equality_with_a_bool_literal_on_the_result_is_understood() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (refs.TryPin(pfn) == false) return;
                    vmcs.WriteVirtualApicAddress(pfn);
                }
            }
            """);

    [Fact]
    public Task Try_acquire_with_success_value_false_pins_on_the_false_edge() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Clean(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (refs.FailedToPin(pfn)) return;
                    vmcs.WriteVirtualApicAddress(pfn);
                }

                void Buggy(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (!refs.FailedToPin(pfn)) return;
                    vmcs.WriteApicAccessAddress({|MMU0001:pfn|});
                }
            }
            """);

    [Fact]
    public Task Loop_carried_borrowed_value_is_found_at_the_fixpoint() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Refresh(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong[] hvas)
                {
                    var pfn = mm.GetUserPages(hvas[0]);
                    for (var i = 1; i < hvas.Length; i++)
                    {
                        vmcs.WriteApicAccessAddress({|MMU0001:pfn|});
                        refs.Unpin(pfn);
                        pfn = mm.FollowPte(hvas[i]);
                    }
                }
            }
            """);

    [Fact]
    public Task Pinned_for_the_duration_of_a_try_finally_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (!refs.TryPin(pfn)) return;
                    try
                    {
                        vmcs.WriteApicAccessAddress(pfn);
                    }
                    finally
                    {
                        refs.Unpin(pfn);
                    }
                }
            }
            """);

    [Fact]
    public Task Diagnostic_inside_a_lambda_is_found_and_the_enclosing_method_stays_clean() =>
        Verify.VerifyInSimAsync("""
            using System;

            class Nested
            {
                Action Setup(HostMm mm, Vmcs02 vmcs, ulong hva)
                {
                    var outer = mm.FollowPte(hva);
                    Action capturing = () => vmcs.WriteApicAccessAddress(outer);
                    Action own = () =>
                    {
                        var pfn = mm.FollowPte(hva);
                        vmcs.WriteApicAccessAddress({|MMU0001:pfn|});
                    };
                    return capturing + own;
                }
            }
            """);

    [Fact]
    public Task Diagnostic_inside_a_local_function_is_found() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, Vmcs02 vmcs, ulong hva)
                {
                    Write(hva);

                    void Write(ulong address)
                    {
                        var pfn = mm.FollowPte(address);
                        vmcs.WriteApicAccessAddress({|MMU0001:pfn|});
                    }
                }
            }
            """);

    [Fact]
    public Task Borrowed_and_maybe_non_refcounted_parameters_are_unpinned_inside_the_callee() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Nested
            {
                void Borrowed(Vmcs02 vmcs, [Borrowed] Pfn pfn) => vmcs.WriteApicAccessAddress({|MMU0001:pfn|});

                void Driver(Vmcs02 vmcs, [MayBeNonRefcounted] Pfn pfn) => vmcs.WriteApicAccessAddress({|MMU0001:pfn|});

                void Held(Vmcs02 vmcs, [RequiresPin] Pfn pfn) => vmcs.WriteApicAccessAddress(pfn);
            }
            """);

    [Fact]
    public Task Borrowed_temporary_passed_straight_to_the_sink_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, Vmcs02 vmcs, ulong hva) =>
                    vmcs.WriteApicAccessAddress({|MMU0001:mm.FollowPte(hva)|});
            }
            """);

    [Fact]
    public Task Unannotated_values_are_unknown_and_never_reported() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, Vmcs02 vmcs, ulong hva, Pfn given)
                {
                    vmcs.WriteApicAccessAddress(mm.Unannotated(hva));
                    vmcs.WriteApicAccessAddress(given);
                }
            }
            """);

    [Fact]
    public Task Value_chosen_by_a_conditional_expression_joins_both_arms() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva, bool gup)
                {
                    var pfn = gup ? mm.GetUserPages(hva) : mm.FollowPte(hva);
                    vmcs.WriteApicAccessAddress({|MMU0001:pfn|});
                }
            }
            """);
}
