using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// Issue 9, item 7: collections and owning members. A pin put into an array element or a collection
/// (arch/x86/kvm/mmu/mmu.c kvm_prefetch_pages() fills <c>pages[i]</c>) is handed to that owner; a borrowed PFN put into
/// a long-lived collection is MMU0009. A pin stored into a <c>[Pinned]</c> member of an object the body does not own
/// (<c>map-&gt;pfn</c> in virt/kvm/kvm_main.c kvm_vcpu_map(), v6.12) is handed to it; a copy of such a member's old
/// value (<c>old_pfn = gpc-&gt;pfn</c>) takes over the old pin when the member is overwritten, and an overwrite that
/// leaves the old pin with nobody is MMU0005 at the overwriting store (virt/kvm/pfncache.c, fixed by 3dddf65b4f4c).
/// </summary>
public sealed class OwningMemberAndCollectionTests
{
    private const string Types = """

        sealed class HostMap
        {
            [MmuGuard.Pinned] public Pfn Pfn;
            [MmuGuard.Pinned] public Pfn Page { get; set; }
        }

        sealed class Prefetcher
        {
            public readonly Pfn[] Pending = new Pfn[8];
            public readonly System.Collections.Generic.List<Pfn> Cache = new System.Collections.Generic.List<Pfn>();
        }
        """;

    [Fact]
    public Task A_pin_stored_into_an_array_element_is_handed_over() =>
        Verify.VerifyAsync("""
            class Prefetch
            {
                void Run(HostMm mm, PageRefs pages, Pfn[] batch, ulong hva)
                {
                    for (var i = 0; i < batch.Length; i++)
                    {
                        var pfn = mm.GetUserPages(hva + (ulong)i);
                        batch[i] = pfn;
                    }
                }
            }
            """ + Types);

    [Fact]
    public Task A_pin_added_to_a_collection_is_handed_over() =>
        Verify.VerifyAsync("""
            class Prefetch
            {
                void Run(HostMm mm, System.Collections.Generic.List<Pfn> pinned, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    pinned.Add(pfn);
                }
            }
            """ + Types);

    [Fact]
    public Task A_pin_stored_into_a_list_element_is_handed_over() =>
        Verify.VerifyAsync("""
            class Prefetch
            {
                void Run(HostMm mm, System.Collections.Generic.List<Pfn> pinned, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    pinned[0] = pfn;
                }
            }
            """ + Types);

    [Fact]
    public Task A_borrowed_pfn_stored_into_a_long_lived_array_is_MMU0009() =>
        Verify.VerifyAsync("""
            class Prefetch
            {
                void Run(HostMm mm, Prefetcher prefetcher, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    prefetcher.Pending[0] = {|MMU0009:pfn|};
                }
            }
            """ + Types);

    [Fact]
    public Task A_borrowed_pfn_added_to_a_long_lived_collection_is_MMU0009() =>
        Verify.VerifyAsync("""
            class Prefetch
            {
                void Run(HostMm mm, Prefetcher prefetcher, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    prefetcher.Cache.Add({|MMU0009:pfn|});
                }
            }
            """ + Types);

    [Fact]
    public Task A_borrowed_pfn_in_a_local_array_is_not_long_lived() =>
        Verify.VerifyAsync("""
            class Prefetch
            {
                void Run(HostMm mm, ulong hva)
                {
                    var batch = new Pfn[8];
                    batch[0] = mm.FollowPte(hva);
                }
            }
            """ + Types);

    [Fact]
    public Task A_pin_stored_into_a_parameters_owning_member_is_handed_over() =>
        Verify.VerifyAsync("""
            class VcpuMap
            {
                int Run(HostMm mm, HostMap map, ulong hva)
                {
                    if (hva == 0)
                    {
                        return -22;
                    }

                    var pfn = mm.GetUserPages(hva);
                    map.Pfn = pfn;
                    return 0;
                }
            }
            """ + Types);

    [Fact]
    public Task A_copy_of_the_old_value_takes_over_its_pin_and_is_released() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm, PageRefs pages, HostMap gpc, ulong hva)
                {
                    var oldPfn = gpc.Pfn;
                    gpc.Pfn = mm.GetUserPages(hva);
                    pages.Unpin(oldPfn);
                }
            }
            """ + Types);

    [Fact]
    public Task A_copy_that_took_over_the_old_pin_and_is_overwritten_leaks_at_the_overwrite() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm, PageRefs pages, HostMap gpc, ulong hva, bool same)
                {
                    var oldPfn = gpc.Pfn;
                    gpc.Pfn = new Pfn(0);
                    var newPfn = mm.GetUserPages(hva);
                    if (same)
                    {
                        {|MMU0005:oldPfn|} = new Pfn(0);
                    }

                    gpc.Pfn = newPfn;
                    pages.Unpin(oldPfn);
                }
            }
            """ + Types);

    [Fact]
    public Task A_copy_that_took_over_the_old_pin_and_is_dropped_leaks_at_the_exit() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm, HostMap gpc, ulong hva)
                {
                    var oldPfn = gpc.Page;
                    gpc.Page = mm.GetUserPages(hva);
                {|MMU0005:}|}
            }
            """ + Types);

    [Fact]
    public Task A_copy_of_a_member_never_overwritten_owes_nothing() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(PageRefs pages, HostMap gpc)
                {
                    var oldPfn = gpc.Pfn;
                    pages.MarkDirty(oldPfn);
                    oldPfn = new Pfn(0);
                }
            }
            """ + Types);

    [Fact]
    public Task Storing_a_second_pin_over_one_this_body_stored_is_MMU0005_at_the_overwriting_store() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm, HostMap gpc, ulong hva)
                {
                    gpc.Pfn = mm.GetUserPages(hva);
                    {|MMU0005:gpc.Pfn|} = mm.GetUserPages(hva + 4096);
                }
            }
            """ + Types);

    [Fact]
    public Task Storing_a_second_pin_after_releasing_the_first_is_clean() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm, PageRefs pages, HostMap gpc, ulong hva)
                {
                    gpc.Pfn = mm.GetUserPages(hva);
                    pages.Unpin(gpc.Pfn);
                    gpc.Pfn = mm.GetUserPages(hva + 4096);
                }
            }
            """ + Types);

    [Fact]
    public Task Overwriting_an_owning_this_field_in_a_loop_leaks_the_previous_iterations_pin() =>
        Verify.VerifyAsync("""
            class Cache
            {
                [MmuGuard.Pinned] private Pfn _pfn;

                void Run(HostMm mm, ulong hva, int count)
                {
                    for (var i = 0; i < count; i++)
                    {
                        {|MMU0005:_pfn|} = mm.GetUserPages(hva);
                    }
                }
            }
            """ + Types);

    [Fact]
    public Task An_owning_member_of_unknown_content_is_not_taken_as_holding_a_pin() =>
        Verify.VerifyAsync("""
            class Refresh
            {
                void Run(HostMm mm, HostMap gpc, ulong hva)
                {
                    try
                    {
                        gpc.Pfn = mm.GetUserPages(hva);
                    }
                    finally
                    {
                        gpc.Page = new Pfn(0);
                    }
                }
            }
            """ + Types);
}
