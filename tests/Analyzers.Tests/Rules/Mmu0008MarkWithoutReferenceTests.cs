using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.MarkWithoutReferenceRule>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0008: dirty/accessed marking and reads through a mapping need a held reference.</summary>
public sealed class Mmu0008MarkWithoutReferenceTests
{
    [Fact]
    public Task Marking_a_borrowed_page_dirty_is_reported_with_value_and_operation() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    refs.MarkDirty({|#0:pfn|});
                }
            }
            """,
            Verify.Diagnostic("MMU0008").WithLocation(0).WithArguments("pfn", "MarkDirty"));

    [Fact]
    public Task Marking_pinned_pages_is_clean() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Fault
            {
                void Gup(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.MarkDirty(pfn);
                    refs.Unpin(pfn);
                }

                void Tried(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (!refs.TryPin(pfn)) return;
                    refs.MarkAccessed(pfn);
                    refs.Unpin(pfn);
                }

                void Callee(PageRefs refs, [RequiresPin] Pfn pfn) => refs.MarkDirty(pfn);
            }
            """);

    [Fact]
    public Task Marking_on_the_refusal_path_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (!refs.TryPin(pfn))
                    {
                        refs.MarkAccessed({|MMU0008:pfn|});
                        return;
                    }

                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task Reading_a_mapping_whose_try_map_was_not_checked_is_reported_on_the_receiver() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    var mapped = memory.TryMap(gfn, out var page);
                    return {|MMU0008:page|}.ReadQword(0);
                }
            }
            """);

    [Fact]
    public Task Reading_a_mapping_after_a_negated_pattern_check_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    if (memory.TryMap(gfn, out var page) is not true)
                    {
                        return 0;
                    }

                    using (page)
                    {
                        return page.ReadQword(0);
                    }
                }
            }
            """);

    [Fact]
    public Task Maybe_non_refcounted_parameter_marked_inside_a_lambda_is_reported() =>
        Verify.VerifyInSimAsync("""
            using System;
            using MmuGuard;

            class Driver
            {
                void Mark(PageRefs refs)
                {
                    Action<Pfn> mark = ([MayBeNonRefcounted] Pfn page) => refs.MarkDirty({|MMU0008:page|});
                    mark(default);
                }
            }
            """);
}
