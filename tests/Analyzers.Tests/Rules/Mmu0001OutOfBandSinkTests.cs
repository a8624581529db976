using System.Threading.Tasks;
using MmuGuard.Analyzers.Rules;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.Verifier<MmuGuard.Analyzers.Rules.OutOfBandSinkAnalyzer>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0001: a PFN that may hold no pin must not reach an out-of-band sink.</summary>
public sealed class Mmu0001OutOfBandSinkTests
{
    [Fact]
    public Task Borrowed_pfn_written_to_vmcs02_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    vmcs.WriteApicAccessAddress({|MMU0001:pfn|});
                }
            }
            """);

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
                    var pinned = false;
                    if (eager)
                    {
                        pinned = refs.TryPin(pfn);
                        if (!pinned) return;
                    }

                    vmcs.WriteApicAccessAddress({|MMU0001:pfn|});
                }
            }
            """);
}
