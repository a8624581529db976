using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.PinRefusalIgnoredRule>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0003: the bool result of a try-pin or out-of-band map carries the "cannot pin" outcome and must be observed.</summary>
public sealed class Mmu0003PinRefusalIgnoredTests
{
    [Fact]
    public Task Discarded_try_pin_is_reported_on_the_call() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    {|#0:refs.TryPin(pfn)|};
                }
            }
            """,
            Verify.Diagnostic("MMU0003").WithLocation(0).WithArguments("TryPin"));

    [Fact]
    public Task Explicit_discard_is_still_ignoring_the_refusal() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    _ = {|MMU0003:refs.TryPin(mm.FollowPte(hva))|};
                }
            }
            """);

    [Fact]
    public Task Discarded_out_of_band_map_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    {|MMU0003:memory.TryMap(gfn, out var page)|};
                    return 0;
                }
            }
            """);

    [Fact]
    public Task Tested_stored_or_returned_results_are_clean() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                bool Tested(PageRefs refs, Pfn pfn)
                {
                    if (!refs.TryPin(pfn)) return false;
                    refs.Unpin(pfn);
                    return true;
                }

                bool Stored(PageRefs refs, Pfn pfn)
                {
                    var pinned = refs.TryPin(pfn);
                    if (pinned) refs.Unpin(pfn);
                    return pinned;
                }

                bool Returned(PageRefs refs, Pfn pfn) => refs.TryPin(pfn);
            }
            """);

    [Fact]
    public Task Discarded_try_pin_inside_a_lambda_or_local_function_is_reported() =>
        Verify.VerifyInSimAsync("""
            using System;

            class Fault
            {
                void Resolve(PageRefs refs, Pfn pfn)
                {
                    Action lambda = () => {|MMU0003:refs.TryPin(pfn)|};
                    Local();
                    lambda();

                    void Local() => {|MMU0003:refs.TryPin(pfn)|};
                }
            }
            """);

    [Fact]
    public Task Discarded_non_try_calls_are_not_this_rule() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(Notifier notifier, PageRefs refs, Pfn pfn)
                {
                    notifier.MustRetry(notifier.SnapshotSequence());
                    refs.Log(pfn);
                }
            }
            """);

    [Fact]
    public Task Assertion_that_returns_only_on_success_observes_the_result() =>
        Verify.VerifyInSimAsync("""
            using System.Diagnostics.CodeAnalysis;

            static class Check
            {
                public static void True([DoesNotReturnIf(false)] bool condition) { }
            }

            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva) => Check.True(refs.TryPin(mm.FollowPte(hva)));
            }
            """);
}
