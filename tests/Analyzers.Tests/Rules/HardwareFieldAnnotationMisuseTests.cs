using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.Verifier<MmuGuard.Analyzers.Rules.AnnotationMisuseAnalyzer>;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0010 on the hardware-field vocabulary: a reload request belongs on a hardware field, and has a name.</summary>
public sealed class HardwareFieldAnnotationMisuseTests
{
    [Fact]
    public Task Reload_on_a_parameter_that_is_no_hardware_field_is_reported_with_the_parameter() =>
        Verify.VerifyInSimAsync(
            """
            using MmuGuard;

            class Vmcs
            {
                public void Write([{|#0:ReloadedOnInvalidation("ApicPageReload")|}] Pfn pfn) { }
            }
            """,
            Verify.Diagnostic("MMU0010").WithLocation(0).WithArguments(
                "parameter 'pfn' of 'Vmcs.Write(Pfn)' is marked [ReloadedOnInvalidation] but is no [HardwareFieldSink]; a vCPU request reloads only an address the CPU consumes"));

    [Fact]
    public Task Reload_on_a_method_without_a_hardware_field_parameter_is_reported() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Vmcs
            {
                [{|MMU0010:ReloadedOnInvalidation("ApicPageReload")|}]
                public void Write(Pfn pfn) { }
            }
            """);

    [Fact]
    public Task Reload_on_a_property_that_is_no_hardware_field_is_reported() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Vmcs
            {
                [{|MMU0010:ReloadedOnInvalidation("ApicPageReload")|}] public Pfn Address { get; set; }
            }
            """);

    [Fact]
    public Task Reload_without_a_request_name_is_reported() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Vmcs
            {
                [HardwareFieldSink, {|MMU0010:ReloadedOnInvalidation("")|}] public Pfn Address { get; set; }
            }
            """);

    [Fact]
    public Task Reload_on_a_hardware_field_or_its_method_is_silent() =>
        Verify.VerifyInSimAsync("""
            using MmuGuard;

            class Vmcs
            {
                [HardwareFieldSink, ReloadedOnInvalidation("ApicPageReload")] public Pfn Address { get; set; }

                public void WriteApic([HardwareFieldSink, ReloadedOnInvalidation("ApicPageReload")] Pfn pfn) { }

                [ReloadedOnInvalidation("NestedStatePagesReload")]
                public void WriteNested([HardwareFieldSink] Pfn pfn, ulong offset) { }
            }
            """);
}
