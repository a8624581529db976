using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.UnconditionalPinRule>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0002: a page that may be non-refcounted must never be pinned unconditionally (CVE-2021-22543).</summary>
public sealed class Mmu0002UnconditionalPinTests
{
    [Fact]
    public Task Follow_pte_then_get_page_is_reported_with_value_and_operation() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    refs.Pin({|#0:pfn|});
                    refs.Unpin(pfn);
                }
            }
            """,
            Verify.Diagnostic("MMU0002").WithLocation(0).WithArguments("pfn", "Pin"));

    [Fact]
    public Task Try_pin_of_the_same_page_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (refs.TryPin(pfn))
                    {
                        refs.Unpin(pfn);
                    }
                }
            }
            """);

    [Fact]
    public Task Extra_pin_of_a_refcounted_page_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var gup = mm.GetUserPages(hva);
                    refs.Pin(gup);
                    var tried = mm.FollowPte(hva);
                    if (!refs.TryPin(tried)) return;
                    refs.Pin(tried);
                }
            }
            """);

    [Fact]
    public Task Maybe_non_refcounted_on_one_arm_of_a_conditional_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva, bool pfnMap)
                {
                    var pfn = pfnMap ? mm.FollowPte(hva) : mm.GetUserPages(hva);
                    refs.Pin({|MMU0002:pfn|});
                }
            }
            """);

    [Fact]
    public Task Maybe_non_refcounted_parameter_and_temporary_are_reported() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Driver
            {
                void Expose(PageRefs refs, [MayBeNonRefcounted] Pfn driverPage) => refs.Pin({|MMU0002:driverPage|});

                void Loop(HostMm mm, PageRefs refs, int count)
                {
                    for (var i = 0; i < count; i++)
                    {
                        refs.Pin({|MMU0002:mm.DriverPage(i)|});
                    }
                }
            }
            """);

    [Fact]
    public Task Pin_inside_a_lambda_is_reported_there() =>
        Verify.VerifyInSimAsync("""
            using System;

            class Fault
            {
                Action Later(HostMm mm, PageRefs refs, ulong hva) => () =>
                {
                    var pfn = mm.FollowPte(hva);
                    refs.Pin({|MMU0002:pfn|});
                };
            }
            """);

    [Fact]
    public Task Pin_on_the_failure_edge_of_a_try_pin_is_still_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (!refs.TryPin(pfn))
                    {
                        refs.Pin({|MMU0002:pfn|});
                    }
                }
            }
            """);
}
