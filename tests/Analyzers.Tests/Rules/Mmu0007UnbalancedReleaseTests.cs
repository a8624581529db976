using System.Threading.Tasks;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.UnbalancedReleaseRule>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0007: a release drops exactly the one pin the code holds.</summary>
public sealed class Mmu0007UnbalancedReleaseTests
{
    [Fact]
    public Task Double_release_is_reported_on_the_second() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Unpin(pfn);
                    refs.Unpin({|#0:pfn|});
                }
            }
            """,
            Verify.Diagnostic("MMU0007").WithLocation(0).WithArguments("pfn", "it was already released"));

    [Fact]
    public Task Release_of_a_borrowed_pfn_is_reported_as_never_pinned() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    refs.Unpin({|#0:pfn|});
                }
            }
            """,
            Verify.Diagnostic("MMU0007").WithLocation(0).WithArguments("pfn", "it was never pinned"));

    [Fact]
    public Task Release_reached_from_the_failure_edge_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (refs.TryPin(pfn))
                    {
                        refs.MarkDirty(pfn);
                    }

                    refs.Unpin({|MMU0007:pfn|});
                }
            }
            """);

    private const string GuardedRelease = """
        class Fault
        {
            void Resolve(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.FollowPte(hva);
                var pinned = refs.TryPin(pfn);
                if (pinned)
                {
                    refs.MarkDirty(pfn);
                }

                if (pinned)
                {
                    refs.Unpin(pfn);
                }
            }
        }
        """;

    [Fact]
    public Task Release_guarded_by_the_stored_try_pin_result_is_clean() => Verify.VerifyInSimAsync(GuardedRelease);

    [Fact]
    public Task Second_guarded_release_is_still_a_double_release() =>
        Verify.VerifyInSimAsync(SourceVariant.Apply(
            GuardedRelease,
            ("refs.MarkDirty(pfn);", "refs.Unpin(pfn);"),
            ("""
                    {
                        refs.Unpin(pfn);
                    }
                }
            """, """
                    {
                        refs.Unpin({|MMU0007:pfn|});
                    }
                }
            """)));

    [Fact]
    public Task Release_inside_a_loop_is_reported_from_the_second_iteration() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva, int count)
                {
                    var pfn = mm.GetUserPages(hva);
                    for (var i = 0; i < count; i++)
                    {
                        refs.Unpin({|MMU0007:pfn|});
                    }
                }
            }
            """);

    [Fact]
    public Task Unmap_before_the_using_disposes_is_reported_on_the_dispose() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    using var {|MMU0007:page = memory.Map(gfn)|};
                    var value = page.ReadQword(0);
                    page.Unmap();
                    return value;
                }
            }
            """);

    [Fact]
    public Task Releasing_a_held_or_unknown_value_is_not_judged() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Pages
            {
                void Put(PageRefs refs, [ReleasesPin] Pfn pfn) => refs.Unpin(pfn);

                void Unknown(PageRefs refs, Pfn pfn) => refs.Unpin(pfn);
            }
            """);
}
