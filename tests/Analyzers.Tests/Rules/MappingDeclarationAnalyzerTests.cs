using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0011–MMU0015: declarations the bookkeeping generator cannot serve.</summary>
public sealed class MappingDeclarationAnalyzerTests
{
    /// <summary>The runtime's PFN type, as the generator's mapping fields must use it.</summary>
    internal const string PfnSource = "namespace MmuGuard.Physical { public readonly record struct Pfn(ulong Value); }";

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        Verifier<MappingDeclarationAnalyzer>.VerifyAsync(
            new[] { "using MmuGuard;\nusing MmuGuard.Physical;\n\n" + source, PfnSource },
            expected);

    private static DiagnosticResult Diagnostic(string id) =>
        new DiagnosticResult(id, Microsoft.CodeAnalysis.DiagnosticSeverity.Error);

    [Fact]
    public Task A_well_formed_owner_is_silent() => VerifyAsync(@"
[MappingBookkeeping(Disposable = true)]
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _apicAccessPage;
    [NotifierCoveredMapping] private Pfn m_steal_;
    public void Run() { }
}

public partial class Vcpu { }

public partial class Vm
{
    public partial struct Nested
    {
        [OutOfBandMapping] private Pfn _vmcs12;
    }
}");

    [Fact]
    public Task Owner_that_is_not_partial_is_reported() => VerifyAsync(@"
public class {|MMU0011:Vcpu|}
{
    [OutOfBandMapping] private Pfn _apicAccessPage;
}");

    [Fact]
    public Task Only_the_declaration_missing_partial_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _apicAccessPage;
}

public class {|MMU0011:{|CS0260:Vcpu|}|} { }");

    [Fact]
    public Task Type_without_mapping_fields_is_not_required_to_be_partial() => VerifyAsync(@"
[MappingBookkeeping]
public class Plain
{
    [Pinned] private Pfn _page;
}");

    [Fact]
    public Task Static_mapping_field_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private static Pfn {|MMU0012:_shared|};
}");

    [Fact]
    public Task Readonly_mapping_field_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private readonly Pfn {|MMU0012:_page|};
}");

    [Fact]
    public Task Mapping_field_of_another_type_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [NotifierCoveredMapping] private ulong {|#0:_page|};
}",
        Diagnostic("MMU0012").WithLocation(0).WithArguments("_page", "has type 'ulong'"));

    [Fact]
    public Task Mapping_field_whose_name_leaves_no_stem_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn {|MMU0012:__|};
}");

    [Fact]
    public Task Mapping_attribute_on_an_auto_propertys_backing_field_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [field: OutOfBandMapping] public Pfn {|#0:Page|} { get; set; }
}",
        Diagnostic("MMU0012").WithLocation(0).WithArguments(
            "<Page>k__BackingField", "is the compiler's backing field of 'Page', but only declared fields get generated members"));

    [Fact]
    public Task Mapping_attribute_on_a_record_parameters_backing_field_is_reported_with_the_record() => VerifyAsync(@"
public partial record {|MMU0014:Vcpu|}([field: OutOfBandMapping] Pfn {|MMU0012:Page|});");

    [Fact]
    public Task Both_mapping_attributes_on_one_field_are_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping, NotifierCoveredMapping] private Pfn {|MMU0013:_page|};
}");

    [Fact]
    public Task Out_of_band_mapping_that_claims_notifier_coverage_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping, NotifierCovered] private Pfn {|MMU0013:_page|};
}");

    [Fact]
    public Task Notifier_covered_mapping_that_claims_a_pin_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [NotifierCoveredMapping, Pinned] private Pfn {|MMU0013:_page|};
}");

    [Fact]
    public Task Out_of_band_mapping_that_claims_a_pin_is_silent() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping, Pinned] private Pfn _page;
}");

    [Fact]
    public Task Generic_owner_is_reported() => VerifyAsync(@"
public partial class {|#0:Vcpu|}<T>
{
    [OutOfBandMapping] private Pfn _page;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments("Vcpu", "it is generic"));

    [Fact]
    public Task Owner_nested_in_a_non_partial_type_is_reported() => VerifyAsync(@"
public class Vm
{
    public partial class {|MMU0014:Vcpu|}
    {
        [OutOfBandMapping] private Pfn _page;
    }
}");

    [Fact]
    public Task Owner_nested_in_a_generic_type_is_reported() => VerifyAsync(@"
public partial class Vm<T>
{
    public partial class {|MMU0014:Vcpu|}
    {
        [OutOfBandMapping] private Pfn _page;
    }
}");

    [Fact]
    public Task File_local_owner_is_reported() => VerifyAsync(@"
file partial class {|#0:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "Vcpu", "it is file-local, but the generated part is written to another file"));

    [Fact]
    public Task Owner_nested_in_a_file_local_type_is_reported() => VerifyAsync(@"
file partial class Vm
{
    public partial class {|#0:Vcpu|}
    {
        [OutOfBandMapping] private Pfn _page;
    }
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "Vcpu", "it is nested in file-local type 'Vm', but the generated part is written to another file"));

    [Fact]
    public Task Record_owner_is_reported() => VerifyAsync(@"
public partial record {|MMU0014:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
}");

    [Fact]
    public Task Ref_struct_owner_is_reported() => VerifyAsync(@"
public ref partial struct {|#0:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "Vcpu", "it is a ref struct, which the generated bookkeeping cannot box or store"));

    [Fact]
    public Task Struct_owner_with_a_notifier_covered_mapping_is_reported() => VerifyAsync(@"
public partial struct {|#0:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
    [NotifierCoveredMapping] private Pfn _steal;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "Vcpu", "it is a struct, and notifier-covered mapping '_steal' would register a boxed copy with the notifier"));

    [Fact]
    public Task Struct_owner_with_only_out_of_band_mappings_is_silent() => VerifyAsync(@"
public partial struct Vcpu
{
    [OutOfBandMapping] private Pfn _page;
}");

    [Fact]
    public Task Class_owner_with_a_notifier_covered_mapping_is_silent() => VerifyAsync(@"
public partial class Vcpu
{
    [NotifierCoveredMapping] private Pfn _steal;
}");

    [Fact]
    public Task Struct_owner_with_sequential_layout_is_reported() => VerifyAsync(@"
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
public partial struct {|#0:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "Vcpu", "its [StructLayout] fixes the field order, but the generated state fields need LayoutKind.Auto"));

    [Fact]
    public Task Struct_owner_with_explicit_layout_is_reported() => VerifyAsync(@"
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
public partial struct {|MMU0014:Vcpu|}
{
    [OutOfBandMapping, System.Runtime.InteropServices.FieldOffset(0)] private Pfn _page;
}");

    [Fact]
    public Task Struct_owner_with_auto_layout_is_silent() => VerifyAsync(@"
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public partial struct Vcpu
{
    [OutOfBandMapping] private Pfn _page;
}");

    [Fact]
    public Task Enum_with_a_mapping_member_is_reported_and_its_constant_too() => VerifyAsync(@"
public enum {|MMU0014:Pages|}
{
    [OutOfBandMapping] {|MMU0012:First|},
}");

    [Fact]
    public Task User_member_named_like_a_generated_pinned_member_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _apicAccessPage;
    public void {|#0:MapApicAccessPage|}() { }
}",
        Diagnostic("MMU0015").WithLocation(0).WithArguments(
            "MapApicAccessPage", "for mapping '_apicAccessPage'", "member 'Vcpu.MapApicAccessPage()'"));

    [Fact]
    public Task User_member_named_like_a_generated_covered_member_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [NotifierCoveredMapping] private Pfn _steal;
    public bool {|MMU0015:IsStealValid|} => true;
}");

    [Fact]
    public Task User_member_named_like_a_per_type_generated_member_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _page;
    public void {|MMU0015:Teardown|}() { }
}");

    [Fact]
    public Task User_dispose_collides_only_when_the_owner_asks_for_disposable() => VerifyAsync(@"
[MappingBookkeeping(Disposable = true)]
public partial class Disposing
{
    [OutOfBandMapping] private Pfn _page;
    public void {|MMU0015:Dispose|}() { }
}

public partial class NotDisposing
{
    [OutOfBandMapping] private Pfn _page;
    public void Dispose() { }
}");

    [Fact]
    public Task Two_mapping_fields_with_one_stem_are_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _apic;
    [OutOfBandMapping] private Pfn {|#0:apic_|};
}",
        Diagnostic("MMU0015").WithLocation(0).WithArguments("MapApic", "for mapping 'apic_'", "the member for mapping '_apic'"),
        Diagnostic("MMU0015").WithLocation(0).WithArguments("UnmapApic", "for mapping 'apic_'", "the member for mapping '_apic'"),
        Diagnostic("MMU0015").WithLocation(0).WithArguments("IsApicMapped", "for mapping 'apic_'", "the member for mapping '_apic'"),
        Diagnostic("MMU0015").WithLocation(0).WithArguments("ApicPfn", "for mapping 'apic_'", "the member for mapping '_apic'"));

    [Fact]
    public Task Pinned_and_covered_mappings_may_share_a_stem() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _apic;
    [NotifierCoveredMapping] private Pfn apic_;
}");

    [Fact]
    public Task Members_the_generator_wrote_are_not_collisions() =>
        new AttributedSourcesTest(new MappingDeclarationAnalyzer())
        {
            TestState =
            {
                Sources =
                {
                    "using MmuGuard;\nusing MmuGuard.Physical;\npublic partial class Vcpu { [OutOfBandMapping] private Pfn _page; }",
                    PfnSource,
                    ("MmuGuard.Generators/MmuGuard.Generators.MappingGenerator/Vcpu.g.cs",
                        "public partial class Vcpu { public void MapPage() { } public void UnmapAll() { } }"),
                },
            },
        }.RunAsync();

    [Fact]
    public Task Mapping_field_whose_stem_starts_with_a_digit_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn {|#0:_0page|};
}",
        Diagnostic("MMU0012").WithLocation(0).WithArguments(
            "_0page", "has a name whose stem '0page' makes the generated member name '0pagePfn', which is not a valid identifier"));

    [Fact]
    public Task Static_class_owner_is_reported() => VerifyAsync(@"
public static partial class {|#0:Vcpu|}
{
    [OutOfBandMapping] private static Pfn {|MMU0012:_page|};
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments("Vcpu", "it is a static class, which has no instances to hold a mapping"));

    [Fact]
    public Task Readonly_struct_owner_is_reported() => VerifyAsync(@"
public readonly partial struct {|#0:Vcpu|}
{
    [OutOfBandMapping] private readonly Pfn {|MMU0012:_page|};
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments("Vcpu", "it is a readonly struct, but every map and unmap writes its fields"));

    [Fact]
    public Task Owner_deriving_from_an_owner_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _page;
}

public partial class {|#0:NestedVcpu|} : Vcpu
{
    [OutOfBandMapping] private Pfn _shadow;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "NestedVcpu", "it derives from 'Vcpu', which has generated mappings too, and both would write UnmapAll, PinLedger and Teardown"));

    [Fact]
    public Task Owner_named_like_a_generated_member_is_reported() => VerifyAsync(@"
public partial class {|#0:ApicPfn|}
{
    [OutOfBandMapping] private Pfn _apic;
}",
        Diagnostic("MMU0015").WithLocation(0).WithArguments(
            "ApicPfn", "for mapping '_apic'", "the name of type 'ApicPfn' itself, which its members cannot share"));

    [Fact]
    public Task User_member_named_like_a_private_generated_member_is_reported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _page;
    private object? {|#0:__pinnedMappings|};
}",
        Diagnostic("MMU0015").WithLocation(0).WithArguments(
            "__pinnedMappings", "a private member written for every type with generated mappings", "member 'Vcpu.__pinnedMappings'"));

    [Fact]
    public Task Inherited_member_named_like_a_generated_member_is_reported() => VerifyAsync(@"
public class Shell
{
    public void Teardown() { }
}

public partial class {|#0:Vcpu|} : Shell
{
    [OutOfBandMapping] private Pfn _page;
}",
        Diagnostic("MMU0015").WithLocation(0).WithArguments(
            "Teardown", "written for every type with generated mappings", "inherited member 'Shell.Teardown()'"));

    [Fact]
    public Task Explicit_covered_owner_implementation_is_reported() => VerifyAsync(@"
namespace MmuGuard.Mapping
{
    public interface INotifierCoveredMappingOwner { void InvalidateCoveredMapping(int slot); }
}

public partial class Vcpu : MmuGuard.Mapping.INotifierCoveredMappingOwner
{
    [NotifierCoveredMapping] private Pfn _steal;
    void MmuGuard.Mapping.INotifierCoveredMappingOwner.{|#0:InvalidateCoveredMapping|}(int slot) { }
}",
        Diagnostic("MMU0015").WithLocation(0).WithArguments(
            "INotifierCoveredMappingOwner.InvalidateCoveredMapping",
            "written for every type with notifier-covered mappings",
            "member 'Vcpu.INotifierCoveredMappingOwner.InvalidateCoveredMapping(int)'"));
}
