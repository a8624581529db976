using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.UseAfterReleaseRule>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0006: after its pin is dropped a page may belong to someone else; using it is a use-after-free.</summary>
public sealed class Mmu0006UseAfterReleaseTests
{
    [Fact]
    public Task Marking_dirty_after_unpin_is_reported_with_the_value() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Unpin(pfn);
                    refs.MarkDirty({|#0:pfn|});
                }
            }
            """,
            Verify.Diagnostic("MMU0006").WithLocation(0).WithArguments("pfn"));

    [Fact]
    public Task Use_before_release_and_unannotated_use_after_it_are_clean() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Read(GuestMemory memory, PageRefs refs, ulong gfn, Pfn frame)
                {
                    var page = memory.Map(gfn);
                    var value = page.ReadQword(0);
                    page.Unmap();
                    refs.Log(frame);
                    return value + (ulong)page.GetHashCode();
                }
            }
            """);

    [Fact]
    public Task Reading_through_an_unmapped_mapping_is_reported_on_the_receiver() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    var page = memory.Map(gfn);
                    page.Unmap();
                    return {|MMU0006:page|}.ReadQword(0) + {|MMU0006:page|}.FirstQword;
                }
            }
            """);

    [Fact]
    public Task Release_on_one_branch_then_use_after_the_merge_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Setup(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva, bool teardown)
                {
                    var pfn = mm.GetUserPages(hva);
                    if (teardown)
                    {
                        refs.Unpin(pfn);
                    }

                    vmcs.WriteApicAccessAddress({|MMU0006:pfn|});
                }
            }
            """);

    [Fact]
    public Task Release_at_the_end_of_a_loop_body_is_a_use_after_release_on_the_next_iteration() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Sum(GuestMemory memory, ulong gfn, int count)
                {
                    var page = memory.Map(gfn);
                    ulong total = 0;
                    for (var i = 0; i < count; i++)
                    {
                        total += {|MMU0006:page|}.ReadQword(i * 8);
                        page.Unmap();
                    }

                    return total;
                }
            }
            """);

    [Fact]
    public Task Handing_over_storing_or_returning_a_released_pin_is_reported() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Nested
            {
                [Pinned] private Pfn _page;

                void Adopt(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Unpin(pfn);
                    refs.Adopt({|MMU0006:pfn|});
                }

                void Store(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Unpin(pfn);
                    _page = {|MMU0006:pfn|};
                }

                [return: Pinned]
                Pfn Return(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Unpin(pfn);
                    return {|MMU0006:pfn|};
                }
            }
            """);

    [Fact]
    public Task Reassignment_after_release_starts_a_new_value() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Unpin(pfn);
                    pfn = mm.GetUserPages(hva);
                    refs.MarkDirty(pfn);
                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task Releasing_field_mapping_then_reading_it_is_reported() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Vcpu
            {
                [Pinned] private MappedPage _vmcb12;

                Vcpu(GuestMemory memory) { _vmcb12 = memory.Map(0); }

                ulong Exit()
                {
                    _vmcb12.Unmap();
                    return {|MMU0006:_vmcb12|}.ReadQword(0);
                }
            }
            """);

    [Fact]
    public Task Use_after_release_inside_a_local_function_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    Inner();

                    void Inner()
                    {
                        var pfn = mm.GetUserPages(hva);
                        refs.Unpin(pfn);
                        refs.MarkAccessed({|MMU0006:pfn|});
                    }
                }
            }
            """);
}
