using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// Issue 9, item 10: every ownership rule together reports where the user must act, and one mistake once. A leak is
/// reported at each exit it takes (with the declaration as related location), an ignored try-pin only as MMU0003.
/// </summary>
public sealed class ReportWhereTheUserActsTests
{
    [Fact]
    public Task An_ignored_try_map_is_MMU0003_only_not_the_reads_and_the_unmap_after_it() =>
        Verify.VerifyAsync("""
            class Nested
            {
                ulong Read(GuestMemory memory, ulong gfn)
                {
                    {|MMU0003:memory.TryMap(gfn, out var page)|};
                    var value = page.ReadQword(0);
                    page.Unmap();
                    return value;
                }
            }
            """);

    [Fact]
    public Task A_value_owned_before_an_ignored_try_pin_still_owes_its_pin() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    {|MMU0003:refs.TryPin(pfn)|};
                {|MMU0005:}|}
            }
            """);

    [Fact]
    public Task A_pin_leaking_on_two_returns_is_reported_at_each_with_the_declaration_related() =>
        Verify.VerifyAsync(
            """
            class Fault
            {
                int Resolve(HostMm mm, PageRefs refs, ulong hva, int mode)
                {
                    var {|#2:pfn|} = mm.GetUserPages(hva);
                    if (mode == 1)
                    {
                        {|#0:return|} -1;
                    }

                    if (mode == 2)
                    {
                        {|#1:return|} -2;
                    }

                    refs.Unpin(pfn);
                    return 0;
                }
            }
            """,
            Leak(0, 2),
            Leak(1, 2));

    [Fact]
    public Task A_void_return_under_an_if_is_the_exit_reported() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva, bool abort)
                {
                    var pfn = mm.GetUserPages(hva);
                    if (abort) {|MMU0005:return|};
                    refs.Unpin(pfn);
                }
            }
            """);

    [Fact]
    public Task A_void_return_after_a_statement_is_the_exit_reported_not_a_return_in_another_branch() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Resolve(HostMm mm, PageRefs refs, ulong hva, bool abort)
                {
                    var pfn = mm.GetUserPages(hva);
                    if (abort)
                    {
                        refs.Log(pfn);
                        {|MMU0005:return|};
                    }
                    else
                    {
                        refs.Unpin(pfn);
                        return;
                    }
                }
            }
            """);

    [Fact]
    public Task A_return_through_a_finally_that_does_not_release_is_reported_at_the_return() =>
        Verify.VerifyAsync("""
            class Fault
            {
                int Resolve(HostMm mm, PageRefs refs, ulong hva, bool abort)
                {
                    var pfn = mm.GetUserPages(hva);
                    try
                    {
                        if (abort)
                        {
                            {|MMU0005:return|} 1;
                        }

                        refs.Unpin(pfn);
                        return 0;
                    }
                    finally
                    {
                        refs.Log(default);
                    }
                }
            }
            """);

    [Fact]
    public Task A_leak_in_a_local_function_is_reported_at_its_own_closing_brace() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Resolve(HostMm mm, ulong hva)
                {
                    Local();

                    void Local()
                    {
                        var pfn = mm.GetUserPages(hva);
                    {|MMU0005:}|}
                }
            }
            """);

    [Fact]
    public Task A_pin_overwritten_in_a_loop_is_one_diagnostic_at_the_write() =>
        Verify.VerifyAsync("""
            class Fault
            {
                void Prefault(HostMm mm, PageRefs refs, ulong[] hvas)
                {
                    var pfn = default(Pfn);
                    foreach (var hva in hvas)
                    {
                        {|MMU0005:pfn|} = mm.GetUserPages(hva);
                        refs.MarkDirty(pfn);
                    }
                }
            }
            """);

    [Fact]
    public Task Exits_in_switch_sections_iterators_and_accessors_are_reported_where_they_leave() =>
        Verify.VerifyAsync("""
            using System.Collections.Generic;

            class Fault
            {
                private readonly HostMm _mm = new HostMm();

                int Switch(PageRefs refs, ulong hva, int mode)
                {
                    var pfn = _mm.GetUserPages(hva);
                    switch (mode)
                    {
                        case 0:
                            {|MMU0005:return|} 0;
                        default:
                            refs.Unpin(pfn);
                            return 1;
                    }
                }

                IEnumerable<ulong> Frames(ulong[] hvas, bool stop)
                {
                    var pfn = _mm.GetUserPages(hvas[0]);
                    if (stop) {|MMU0005:yield|} break;
                    yield return pfn.Value;
                {|MMU0005:}|}

                ulong Frame
                {
                    get
                    {
                        var pfn = _mm.GetUserPages(0);
                        {|MMU0005:return|} pfn.Value;
                    }
                }
            }
            """);

    private static DiagnosticResult Leak(int exit, int declaration) =>
        new DiagnosticResult("MMU0005", DiagnosticSeverity.Warning).WithLocation(exit).WithLocation(declaration).WithArguments("pfn");
}
