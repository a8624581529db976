using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.BorrowedFieldStoreRule>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0009: a borrowed PFN may outlive one operation only in notifier-covered storage, or pinned in an owning member.</summary>
public sealed class Mmu0009BorrowedFieldStoreTests
{
    [Fact]
    public Task Borrowed_pfn_stored_in_a_plain_field_is_reported_with_value_and_member() =>
        Verify.VerifyInSimAsync(
            """
            class Cache
            {
                private Pfn _pfn;

                void Refresh(HostMm mm, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    _pfn = {|#0:pfn|};
                }
            }
            """,
            Verify.Diagnostic("MMU0009").WithLocation(0).WithArguments("pfn", "_pfn"));

    [Fact]
    public Task Notifier_covered_field_may_hold_a_borrowed_pfn() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Cache
            {
                [NotifierCovered] private Pfn _pfn;

                [NotifierCovered] public Pfn Current { get; private set; }

                void Refresh(HostMm mm, ulong hva)
                {
                    _pfn = mm.FollowPte(hva);
                    Current = _pfn;
                }
            }
            """);

    [Fact]
    public Task Pinned_field_receiving_a_pinned_value_is_clean_and_an_unpinned_one_is_reported() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Nested
            {
                [Pinned] private Pfn _apicPage;

                void Pinned(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (!refs.TryPin(pfn)) return;
                    _apicPage = pfn;
                }

                void Unpinned(HostMm mm, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    _apicPage = {|MMU0009:pfn|};
                }
            }
            """);

    [Fact]
    public Task Direct_store_of_a_borrowed_result_into_static_field_or_property_is_reported() =>
        Verify.VerifyInSimAsync("""
            class Cache
            {
                private static Pfn s_last;

                public Pfn Last { get; set; }

                void Refresh(HostMm mm, ulong hva)
                {
                    s_last = {|MMU0009:mm.FollowPte(hva)|};
                    Last = {|MMU0009:mm.FollowPte(hva + 4096)|};
                }
            }
            """);

    [Fact]
    public Task Store_through_a_reference_held_elsewhere_is_long_lived() =>
        Verify.VerifyInSimAsync("""
            class Slot
            {
                public Pfn Pfn;
            }

            class Cache
            {
                void Refresh(HostMm mm, Slot slot, ulong hva)
                {
                    slot.Pfn = {|MMU0009:mm.FollowPte(hva)|};
                }
            }
            """);

    [Fact]
    public Task Struct_locals_and_object_initializers_are_not_long_lived() =>
        Verify.VerifyInSimAsync("""
            struct Entry
            {
                public Pfn Pfn;
            }

            class Holder
            {
                public Pfn Pfn { get; set; }
            }

            class Walk
            {
                ulong Resolve(HostMm mm, ulong hva)
                {
                    var entry = new Entry();
                    entry.Pfn = mm.FollowPte(hva);
                    var holder = new Holder { Pfn = mm.FollowPte(hva) };
                    return entry.Pfn.Value + holder.Pfn.Value;
                }
            }
            """);

    [Fact]
    public Task Store_on_one_branch_after_a_conditional_pin_is_reported() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Nested
            {
                [Pinned] private Pfn _apicPage;

                void Setup(HostMm mm, PageRefs refs, ulong hva, bool pin)
                {
                    var pfn = mm.FollowPte(hva);
                    if (pin && !refs.TryPin(pfn)) return;
                    _apicPage = {|MMU0009:pfn|};
                }
            }
            """);

    [Fact]
    public Task Store_inside_a_lambda_is_reported() =>
        Verify.VerifyInSimAsync("""
            using System;

            class Cache
            {
                private Pfn _pfn;

                Action Later(HostMm mm, ulong hva) => () =>
                {
                    var pfn = mm.FollowPte(hva);
                    _pfn = {|MMU0009:pfn|};
                };
            }
            """);
}
