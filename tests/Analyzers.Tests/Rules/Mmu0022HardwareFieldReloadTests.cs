using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.Verifier<MmuGuard.Analyzers.Rules.HardwareFieldReloadAnalyzer>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// MMU0022: a notifier-covered or borrowed PFN may reach a field the CPU consumes in guest mode only when an
/// invalidation reloads that field through a vCPU request (KVM_REQ_APIC_PAGE_RELOAD), or when it is pinned.
/// </summary>
public sealed class Mmu0022HardwareFieldReloadTests
{
    /// <summary>VMCS address fields as a sim declares them: one reloaded through a request, the others not.</summary>
    private const string HardwareFields = """
        using MmuGuard;

        public sealed class Vmcs
        {
            public void WritePostedInterruptDescriptor([HardwareFieldSink] Pfn pfn) { }

            public void WriteApicAccessAddress([HardwareFieldSink, ReloadedOnInvalidation("ApicPageReload")] Pfn pfn) { }

            [ReloadedOnInvalidation("NestedStatePagesReload")]
            public void WriteVirtualApicAddress([HardwareFieldSink] Pfn pfn) { }

            public void WriteBlankReload([HardwareFieldSink, ReloadedOnInvalidation(" ")] Pfn pfn) { }

            public void WritePinnedPage([HardwareFieldSink, OutOfBandSink] Pfn pfn) { }

            [HardwareFieldSink] public Pfn PmlAddress { get; set; }

            [HardwareFieldSink, ReloadedOnInvalidation("ApicPageReload")] public Pfn ApicAccessAddress { get; set; }
        }

        public sealed class PostedInterruptCache
        {
            [NotifierCovered] public Pfn Pfn { get; set; }
        }
        """;

    [Fact]
    public Task Notifier_covered_pfn_written_into_a_hardware_field_without_reload_is_reported_with_value_and_field() =>
        VerifyAsync(
            """
            class Nested
            {
                void Enter(PostedInterruptCache cache, Vmcs vmcs) => vmcs.WritePostedInterruptDescriptor({|#0:cache.Pfn|});
            }
            """,
            Verify.Diagnostic("MMU0022").WithLocation(0).WithArguments("Pfn", "notifier-covered", "WritePostedInterruptDescriptor"));

    [Fact]
    public Task Borrowed_result_written_into_a_hardware_property_is_reported() =>
        VerifyAsync(
            """
            class Nested
            {
                void Enter(HostMm mm, Vmcs vmcs, ulong hva)
                {
                    vmcs.PmlAddress = {|#0:mm.FollowPte(hva)|};
                }
            }
            """,
            Verify.Diagnostic("MMU0022").WithLocation(0).WithArguments("mm.FollowPte(hva)", "borrowed", "PmlAddress"));

    [Fact]
    public Task Borrowed_out_value_reaching_the_field_through_locals_is_reported_under_the_written_local() =>
        VerifyAsync(
            """
            class Nested
            {
                void Enter(HostMm mm, Vmcs vmcs, ulong hva)
                {
                    if (!mm.TryFollowPte(hva, out var resolved)) return;
                    var pfn = resolved;
                    vmcs.WritePostedInterruptDescriptor({|#0:pfn|});
                }
            }
            """,
            Verify.Diagnostic("MMU0022").WithLocation(0).WithArguments("pfn", "borrowed", "WritePostedInterruptDescriptor"));

    [Fact]
    public Task Borrowed_parameter_is_reported() =>
        VerifyAsync("""
            using MmuGuard;

            class Nested
            {
                void Enter([Borrowed] Pfn pfn, Vmcs vmcs) => vmcs.WritePostedInterruptDescriptor({|MMU0022:pfn|});
            }
            """);

    [Fact]
    public Task Either_branch_of_a_conditional_makes_the_value_notifier_covered() =>
        VerifyAsync("""
            class Nested
            {
                void Enter(PostedInterruptCache cache, Vmcs vmcs, bool fresh) =>
                    vmcs.WritePostedInterruptDescriptor({|MMU0022:fresh ? default(Pfn) : cache.Pfn|});
            }
            """);

    [Fact]
    public Task Field_of_a_generated_notifier_covered_mapping_is_notifier_covered() =>
        VerifyAsync("""
            using MmuGuard;

            partial class StealTime
            {
                [NotifierCoveredMapping] private Pfn _record;

                void Enter(PfnSink vmcs) => vmcs.Write({|MMU0022:_record|});
            }

            class PfnSink
            {
                public void Write([HardwareFieldSink] Pfn pfn) { }
            }
            """);

    [Fact]
    public Task Field_reloaded_on_invalidation_through_a_request_may_hold_a_notifier_covered_pfn() =>
        VerifyAsync("""
            class Nested
            {
                void Reload(PostedInterruptCache cache, HostMm mm, Vmcs vmcs, ulong hva)
                {
                    vmcs.WriteApicAccessAddress(cache.Pfn);
                    vmcs.ApicAccessAddress = mm.FollowPte(hva);
                }
            }
            """);

    [Fact]
    public Task Reload_declared_on_the_method_covers_its_hardware_field_parameter() =>
        VerifyAsync("""
            class Nested
            {
                void Reload(HostMm mm, Vmcs vmcs, ulong hva) => vmcs.WriteVirtualApicAddress(mm.FollowPte(hva));
            }
            """);

    [Fact]
    public Task Reload_with_a_blank_request_name_declares_nothing() =>
        VerifyAsync("""
            class Nested
            {
                void Reload(HostMm mm, Vmcs vmcs, ulong hva) => vmcs.WriteBlankReload({|MMU0022:mm.FollowPte(hva)|});
            }
            """);

    [Fact]
    public Task Pfn_the_body_pins_is_the_out_of_band_pattern_and_not_reported() =>
        VerifyAsync("""
            class Nested
            {
                void Enter(HostMm mm, PageRefs refs, Vmcs vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (!refs.TryPin(pfn)) return;
                    vmcs.WritePostedInterruptDescriptor(pfn);
                }
            }
            """);

    [Fact]
    public Task Hardware_field_that_is_also_an_out_of_band_sink_is_left_to_MMU0001() =>
        VerifyAsync("""
            class Nested
            {
                void Enter(HostMm mm, Vmcs vmcs, ulong hva) => vmcs.WritePinnedPage(mm.FollowPte(hva));
            }
            """);

    [Fact]
    public Task Pfn_without_an_ownership_contract_is_never_reported() =>
        VerifyAsync("""
            class Nested
            {
                void Enter(HostMm mm, Vmcs vmcs, ulong hva, Pfn given)
                {
                    vmcs.WritePostedInterruptDescriptor(mm.Unannotated(hva));
                    vmcs.PmlAddress = given;
                }
            }
            """);

    [Fact]
    public Task Pinned_result_is_never_reported() =>
        VerifyAsync("""
            class Nested
            {
                void Enter(HostMm mm, Vmcs vmcs, ulong hva) => vmcs.WritePostedInterruptDescriptor(mm.GetUserPages(hva));
            }
            """);

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        Verify.VerifyAsync(new[] { source, HardwareFields, SimPrelude.Source }, expected);
}
