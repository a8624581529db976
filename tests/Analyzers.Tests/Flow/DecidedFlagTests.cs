using System.Threading.Tasks;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>
/// A bool flag set to constants on the two sides of a branch on a try-pin result carries that result after the
/// merge (the join of two differing constants is the outcome the two sides decided the other way), so testing the
/// flag later splits the pin as testing the result would. Every rule runs.
/// </summary>
public sealed class DecidedFlagTests
{
    private static Task VerifyAsync(string source) => Infrastructure.OwnershipRulesVerifier.VerifyAsync(source);

    [Fact]
    public Task Flag_set_where_the_try_pin_succeeded_guards_the_release() => VerifyAsync("""
        class Fault
        {
            void Touch(HostMm mm, PageRefs refs, ulong hva, bool log)
            {
                var pfn = mm.FollowPte(hva);
                var pinned = false;
                if (refs.TryPin(pfn))
                {
                    pinned = true;
                }

                if (log) refs.Log(pfn);
                if (pinned)
                {
                    refs.MarkDirty(pfn);
                    refs.Unpin(pfn);
                }
            }
        }
        """);

    [Fact]
    public Task Flag_set_where_the_try_pin_failed_leaves_the_pin_on_the_other_edge() => VerifyAsync("""
        class Fault
        {
            void Touch(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = mm.FollowPte(hva);
                var refused = false;
                if (!refs.TryPin(pfn))
                {
                    refused = true;
                }

                if (refused)
                {
                    return;
                }

                refs.MarkDirty(pfn);
            {|MMU0005:}|}
        }
        """);

    [Fact]
    public Task Flag_set_under_an_unrelated_condition_stays_unknown() => VerifyAsync("""
        class Fault
        {
            void Touch(HostMm mm, PageRefs refs, ulong hva, bool fast)
            {
                var pfn = mm.FollowPte(hva);
                var pinned = refs.TryPin(pfn);
                var flag = false;
                if (fast)
                {
                    flag = true;
                }

                if (flag)
                {
                    refs.MarkDirty({|MMU0008:pfn|});
                }

                if (pinned) refs.Unpin(pfn);
            }
        }
        """);
}
