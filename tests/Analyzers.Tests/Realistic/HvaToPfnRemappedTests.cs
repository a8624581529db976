using System.Threading.Tasks;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Realistic;

/// <summary>
/// KVM's <c>hva_to_pfn_remapped</c> (virt/kvm/kvm_main.c): a PFN found by walking a <c>VM_PFNMAP</c> VMA's page
/// table, handed to callers that release it. Before the CVE-2021-22543 fix it took the reference with
/// <c>kvm_get_pfn</c> (get_page); after, with <c>kvm_try_get_pfn</c> (get_page_unless_zero), failing with -EFAULT.
/// </summary>
public sealed class HvaToPfnRemappedTests
{
    private const string BeforeFix = """
            using MmuGuard;

            static class KvmMain
            {
                const int EFAULT = 14;

                static int HvaToPfnRemapped(HostMm mm, PageRefs refs, ulong addr, [Pinned] out Pfn pPfn)
                {
                    if (!mm.TryFollowPte(addr, out var pfn))
                    {
                        pPfn = default;
                        return -EFAULT;
                    }

                    // "Get a reference here because callers of *hva_to_pfn* ... call kvm_release_pfn_clean".
                    refs.Pin({|MMU0002:pfn|});
                    pPfn = pfn;
                    return 0;
                }
            }
            """;

    [Fact]
    public Task Before_the_fix_get_page_on_the_follow_pte_pfn_is_the_only_finding() => Verify.VerifyAsync(BeforeFix);

    [Fact]
    public Task After_the_fix_try_get_pfn_with_its_efault_path_is_clean() =>
        Verify.VerifyAsync(SourceVariant.Apply(
            BeforeFix,
            ("""
                    refs.Pin({|MMU0002:pfn|});
                    pPfn = pfn;
                    return 0;
            """, """
                    var r = 0;
                    if (!refs.TryPin(pfn))
                    {
                        r = -EFAULT;
                    }

                    pPfn = pfn;
                    return r;
            """)));
}
