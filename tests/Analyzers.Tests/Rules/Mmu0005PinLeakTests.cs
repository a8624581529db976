using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.PinLeakRule>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0005: every pin taken is released, handed to an owner or returned as pinned on every path.</summary>
public sealed class Mmu0005PinLeakTests
{
    [Fact]
    public Task Pin_never_released_is_reported_at_the_exit_with_the_declaration_as_related_location() =>
        Verify.VerifyInSimAsync(
            """
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var {|#1:pfn|} = mm.GetUserPages(hva);
                    refs.MarkDirty(pfn);
                {|#0:}|}
            }
            """,
            Verify.Diagnostic("MMU0005").WithLocation(0).WithLocation(1).WithArguments("pfn"));

    [Fact]
    public Task Released_pin_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.MarkDirty(pfn);
                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task Early_return_that_skips_the_release_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva, bool abort)
                {
                    var pfn = mm.GetUserPages(hva);
                    if (abort)
                    {
                        {|MMU0005:return|};
                    }

                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task Release_in_finally_covers_early_returns() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva, bool abort)
                {
                    var pfn = mm.GetUserPages(hva);
                    try
                    {
                        if (abort) return;
                        refs.MarkDirty(pfn);
                    }
                    finally
                    {
                        refs.Unpin(pfn);
                    }
                }
            }
            """);

    [Fact]
    public Task Using_that_disposes_a_releasing_mapping_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Declaration(GuestMemory memory, ulong gfn)
                {
                    using var page = memory.Map(gfn);
                    return page.ReadQword(0);
                }

                ulong Statement(GuestMemory memory, ulong gfn)
                {
                    using (var page = memory.Map(gfn))
                    {
                        return page.ReadQword(8);
                    }
                }
            }
            """);

    [Fact]
    public Task Mapping_never_unmapped_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    var page = memory.Map(gfn);
                    {|MMU0005:return|} page.ReadQword(0);
                }
            }
            """);

    [Fact]
    public Task Successful_try_pin_not_released_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Borrow(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (refs.TryPin(pfn))
                    {
                        refs.MarkDirty(pfn);
                    }
                {|MMU0005:}|}

                void Out(GuestMemory memory, PageRefs refs, ulong gfn)
                {
                    if (memory.TryPinGuestPage(gfn, out var pfn, out _))
                    {
                        refs.MarkDirty(pfn);
                    }
                {|MMU0005:}|}
            }
            """);

    [Fact]
    public Task Hand_over_to_owners_ends_the_obligation() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            sealed class HostMap
            {
                [Pinned] private readonly Pfn _page;

                public HostMap([TakesPinOwnership] Pfn page) { _page = page; }
            }

            class Nested
            {
                [Pinned] private Pfn _vmcs12Page;

                HostMap Constructed(HostMm mm, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    return new HostMap(pfn);
                }

                void Field(HostMm mm, ulong hva) => _vmcs12Page = mm.GetUserPages(hva);

                void Adopted(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    refs.Adopt(pfn);
                }

                void Sink(HostMm mm, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    vmcs.WriteVirtualApicAddress(pfn);
                }

                [return: Pinned]
                Pfn Returned(HostMm mm, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    return pfn;
                }

                bool OutParameter(HostMm mm, ulong hva, [Pinned] out Pfn pinned)
                {
                    var pfn = mm.GetUserPages(hva);
                    pinned = pfn;
                    return true;
                }
            }
            """);

    [Fact]
    public Task Unannotated_field_or_return_does_not_take_the_pin() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                private Pfn _plain;

                void Field(HostMm mm, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    _plain = pfn;
                {|MMU0005:}|}

                Pfn Returned(HostMm mm, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    {|MMU0005:return|} pfn;
                }
            }
            """);

    [Fact]
    public Task Discarded_pinned_result_is_reported_on_the_call() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Prefault(HostMm mm, ulong hva) => {|MMU0005:mm.GetUserPages(hva)|};
            }
            """);

    [Fact]
    public Task Pinned_temporary_used_up_by_a_call_that_keeps_no_pin_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                ulong Read(GuestMemory memory, HostMm mm, PageRefs refs, ulong gfn)
                {
                    refs.MarkDirty({|MMU0005:mm.GetUserPages(gfn)|});
                    refs.Adopt(mm.GetUserPages(gfn));
                    refs.Pin(mm.Unannotated(gfn));
                    refs.Unpin(mm.Unannotated(gfn));
                    using (memory.Map(gfn))
                    {
                    }

                    return {|MMU0005:memory.Map(gfn)|}.ReadQword(0);
                }
            }
            """);

    [Fact]
    public Task Loop_that_continues_past_the_release_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Prefault(HostMm mm, PageRefs refs, ulong[] hvas)
                {
                    foreach (var hva in hvas)
                    {
                        var {|MMU0005:pfn|} = mm.GetUserPages(hva);
                        if (hva == 0)
                        {
                            continue;
                        }

                        refs.Unpin(pfn);
                    }
                }
            }
            """);

    [Fact]
    public Task Overwriting_a_pinned_local_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    {|MMU0005:pfn|} = mm.GetUserPages(hva + 4096);
                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task Exception_handled_locally_leaks_the_pin() =>
        Verify.VerifyInSimAsync("""
            using System;

            class Nested
            {
                void Read(GuestMemory memory, ulong gfn)
                {
                    try
                    {
                        var page = memory.Map(gfn);
                        page.ReadQword(0);
                        page.Unmap();
                    }
                    catch (InvalidOperationException)
                    {
                    }
                {|MMU0005:}|}
            }
            """);

    [Fact]
    public Task Exception_leaving_the_method_is_not_a_leak() =>
        Verify.VerifyInSimAsync("""
            class Nested
            {
                void Read(GuestMemory memory, ulong gfn)
                {
                    var page = memory.Map(gfn);
                    page.ReadQword(0);
                    page.Unmap();
                }
            }
            """);

    [Fact]
    public Task Pinned_flag_tested_again_in_finally_is_clean() =>
        Verify.VerifyInSimAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    var pinned = false;
                    try
                    {
                        pinned = refs.TryPin(pfn);
                        if (!pinned) return;
                        refs.MarkDirty(pfn);
                    }
                    finally
                    {
                        if (pinned) refs.Unpin(pfn);
                    }
                }
            }
            """);

    [Fact]
    public Task Owned_parameter_must_be_released_or_kept() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Owner
            {
                [Pinned] private Pfn _kept;

                void Drops([TakesPinOwnership] Pfn pfn) { {|MMU0005:}|}

                void Keeps([TakesPinOwnership] Pfn pfn) => _kept = pfn;
            }
            """);

    [Fact]
    public Task Wrapper_returning_a_try_pin_result_must_carry_the_try_acquire_contract() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Pages
            {
                bool Annotated(PageRefs refs, [TryAcquiresPin] Pfn pfn) => refs.TryPin(pfn);

                bool Unannotated(PageRefs refs, Pfn pfn) => {|MMU0005:refs.TryPin(pfn)|};
            }
            """);

    [Fact]
    public Task Leak_inside_a_lambda_is_reported_and_a_captured_pin_is_unknown_outside() =>
        Verify.VerifyInSimAsync("""
            using System;

            class Nested
            {
                Action Later(HostMm mm, PageRefs refs, ulong hva)
                {
                    var captured = mm.GetUserPages(hva);
                    Action release = () => refs.Unpin(captured);
                    Action leak = () =>
                    {
                        var pfn = mm.GetUserPages(hva);
                    {|MMU0005:}|};
                    return release + leak;
                }
            }
            """);
}
