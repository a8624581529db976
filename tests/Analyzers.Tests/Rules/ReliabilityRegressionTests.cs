using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// Issue 8's blind spot (N1) and false positives, each found by the robustness hunt and checked with all nine
/// ownership rules running, as a user's build runs them.
/// </summary>
public sealed class ReliabilityRegressionTests
{
    [Fact]
    public Task A_guard_on_a_bool_computed_with_and_does_not_hide_the_code_after_it() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, Stage2 stage2, ulong gfn, ulong hva, ulong limit)
                {
                    var valid = gfn != 0 && gfn < limit;
                    if (!valid) return;
                    var pfn = mm.FollowPte(hva);
                    refs.Pin({|MMU0002:pfn|});
                    stage2.Install(gfn, {|MMU0004:pfn|});
                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task A_guard_on_a_bool_computed_with_or_does_not_hide_the_code_after_it() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong gfn, ulong hva, ulong limit)
                {
                    var invalid = gfn == 0 || gfn >= limit;
                    if (invalid) return;
                    var pfn = mm.FollowPte(hva);
                    refs.Pin({|MMU0002:pfn|});
                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task A_guard_on_a_bool_computed_with_a_conditional_does_not_hide_the_code_after_it() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong gfn, ulong hva, bool strict)
                {
                    var valid = strict ? gfn != 0 : true;
                    if (!valid) return;
                    var pfn = mm.FollowPte(hva);
                    refs.Pin({|MMU0002:pfn|});
                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task A_release_in_try_finally_inside_try_catch_is_clean() =>
        Verify.VerifyAsync("""
            using System;

            class Fault
            {
                ulong Read(HostMm mm, PageRefs refs, ulong hva)
                {
                    try
                    {
                        var pfn = mm.GetUserPages(hva);
                        try { return pfn.Value; }
                        finally { refs.Unpin(pfn); }
                    }
                    catch (InvalidOperationException) { return 0; }
                }
            }
            """);

    [Fact]
    public Task A_using_inside_try_catch_is_clean() =>
        Verify.VerifyAsync("""
            using System;

            class Fault
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    try
                    {
                        using var page = memory.Map(gfn);
                        return page.ReadQword(0);
                    }
                    catch (InvalidOperationException) { return 0; }
                }
            }
            """);

    [Fact]
    public Task A_pin_swallowed_by_a_catch_before_its_try_finally_still_leaks() =>
        Verify.VerifyAsync("""
            using System;

            class Fault
            {
                ulong Read(HostMm mm, PageRefs refs, ulong hva)
                {
                    try
                    {
                        var pfn = mm.GetUserPages(hva);
                        refs.MarkDirty(pfn);
                        try { return pfn.Value; }
                        finally { refs.Unpin(pfn); }
                    }
                    catch (InvalidOperationException) { {|MMU0005:return|} 0; }
                }
            }
            """);

    [Fact]
    public Task A_switch_on_a_try_pin_result_is_clean() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Touch(PageRefs refs, Pfn pfn)
                {
                    switch (refs.TryPin(pfn))
                    {
                        case true:
                            refs.MarkDirty(pfn);
                            refs.Unpin(pfn);
                            break;
                        case false:
                            break;
                    }
                }
            }
            """);

    [Fact]
    public Task A_switch_on_a_try_pin_result_that_forgets_the_release_leaks() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Touch(PageRefs refs, Pfn pfn)
                {
                    switch (refs.TryPin(pfn))
                    {
                        case true:
                            refs.MarkDirty(pfn);
                            break;
                        case false:
                            break;
                    }
                {|MMU0005:}|}
            }
            """);

    [Fact]
    public Task A_pin_held_in_a_nullable_and_released_through_Value_is_clean() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Touch(HostMm mm, PageRefs refs, ulong hva)
                {
                    Pfn? held = mm.GetUserPages(hva);
                    refs.MarkDirty(held.Value);
                    refs.Unpin(held.Value);
                }
            }
            """);

    [Fact]
    public Task An_alias_of_a_using_local_is_clean() =>
        Verify.VerifyAsync("""
            class Fault
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    using var page = memory.Map(gfn);
                    var alias = page;
                    return alias.ReadQword(0);
                }
            }
            """);

    [Fact]
    public Task A_dispose_through_a_conditional_cast_to_IDisposable_releases() =>
        Verify.VerifyAsync("""
            using System;

            class Fault
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    var page = memory.Map(gfn);
                    var value = page.ReadQword(0);
                    (page as IDisposable)?.Dispose();
                    return value;
                }
            }
            """);

    [Fact]
    public Task A_page_pinned_twice_and_released_twice_is_clean() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Share(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Pin(pfn);
                    refs.MarkDirty(pfn);
                    refs.Unpin(pfn);
                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task A_page_pinned_twice_and_released_three_times_is_reported() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Share(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Pin(pfn);
                    refs.Unpin(pfn);
                    refs.Unpin(pfn);
                    refs.Unpin({|MMU0007:pfn|});
                }
            }
            """);
}
