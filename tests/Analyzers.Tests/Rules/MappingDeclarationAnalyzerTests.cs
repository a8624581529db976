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
    public Task AWellFormedOwnerIsSilent() => VerifyAsync(@"
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
    public Task OwnerThatIsNotPartialIsReported() => VerifyAsync(@"
public class {|MMU0011:Vcpu|}
{
    [OutOfBandMapping] private Pfn _apicAccessPage;
}");

    [Fact]
    public Task OnlyTheDeclarationMissingPartialIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _apicAccessPage;
}

public class {|MMU0011:{|CS0260:Vcpu|}|} { }");

    [Fact]
    public Task TypeWithoutMappingFieldsIsNotRequiredToBePartial() => VerifyAsync(@"
[MappingBookkeeping]
public class Plain
{
    [Pinned] private Pfn _page;
}");

    [Fact]
    public Task StaticMappingFieldIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private static Pfn {|MMU0012:_shared|};
}");

    [Fact]
    public Task ReadonlyMappingFieldIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private readonly Pfn {|MMU0012:_page|};
}");

    [Fact]
    public Task MappingFieldOfAnotherTypeIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [NotifierCoveredMapping] private ulong {|#0:_page|};
}",
        Diagnostic("MMU0012").WithLocation(0).WithArguments("_page", "has type 'ulong'"));

    [Fact]
    public Task MappingFieldWhoseNameLeavesNoStemIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn {|MMU0012:__|};
}");

    [Fact]
    public Task MappingAttributeOnAnAutoPropertysBackingFieldIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [field: OutOfBandMapping] public Pfn {|#0:Page|} { get; set; }
}",
        Diagnostic("MMU0012").WithLocation(0).WithArguments(
            "<Page>k__BackingField", "is the compiler's backing field of 'Page', but only declared fields get generated members"));

    [Fact]
    public Task MappingAttributeOnARecordParametersBackingFieldIsReportedWithTheRecord() => VerifyAsync(@"
public partial record {|MMU0014:Vcpu|}([field: OutOfBandMapping] Pfn {|MMU0012:Page|});");

    [Fact]
    public Task BothMappingAttributesOnOneFieldAreReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping, NotifierCoveredMapping] private Pfn {|MMU0013:_page|};
}");

    [Fact]
    public Task OutOfBandMappingThatClaimsNotifierCoverageIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping, NotifierCovered] private Pfn {|MMU0013:_page|};
}");

    [Fact]
    public Task NotifierCoveredMappingThatClaimsAPinIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [NotifierCoveredMapping, Pinned] private Pfn {|MMU0013:_page|};
}");

    [Fact]
    public Task OutOfBandMappingThatClaimsAPinIsSilent() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping, Pinned] private Pfn _page;
}");

    [Fact]
    public Task GenericOwnerIsReported() => VerifyAsync(@"
public partial class {|#0:Vcpu|}<T>
{
    [OutOfBandMapping] private Pfn _page;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments("Vcpu", "it is generic"));

    [Fact]
    public Task OwnerNestedInANonPartialTypeIsReported() => VerifyAsync(@"
public class Vm
{
    public partial class {|MMU0014:Vcpu|}
    {
        [OutOfBandMapping] private Pfn _page;
    }
}");

    [Fact]
    public Task OwnerNestedInAGenericTypeIsReported() => VerifyAsync(@"
public partial class Vm<T>
{
    public partial class {|MMU0014:Vcpu|}
    {
        [OutOfBandMapping] private Pfn _page;
    }
}");

    [Fact]
    public Task FileLocalOwnerIsReported() => VerifyAsync(@"
file partial class {|#0:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "Vcpu", "it is file-local, but the generated part is written to another file"));

    [Fact]
    public Task OwnerNestedInAFileLocalTypeIsReported() => VerifyAsync(@"
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
    public Task RecordOwnerIsReported() => VerifyAsync(@"
public partial record {|MMU0014:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
}");

    [Fact]
    public Task RefStructOwnerIsReported() => VerifyAsync(@"
public ref partial struct {|#0:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "Vcpu", "it is a ref struct, which the generated bookkeeping cannot box or store"));

    [Fact]
    public Task StructOwnerWithANotifierCoveredMappingIsReported() => VerifyAsync(@"
public partial struct {|#0:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
    [NotifierCoveredMapping] private Pfn _steal;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "Vcpu", "it is a struct, and notifier-covered mapping '_steal' would register a boxed copy with the notifier"));

    [Fact]
    public Task StructOwnerWithOnlyOutOfBandMappingsIsSilent() => VerifyAsync(@"
public partial struct Vcpu
{
    [OutOfBandMapping] private Pfn _page;
}");

    [Fact]
    public Task ClassOwnerWithANotifierCoveredMappingIsSilent() => VerifyAsync(@"
public partial class Vcpu
{
    [NotifierCoveredMapping] private Pfn _steal;
}");

    [Fact]
    public Task StructOwnerWithSequentialLayoutIsReported() => VerifyAsync(@"
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
public partial struct {|#0:Vcpu|}
{
    [OutOfBandMapping] private Pfn _page;
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments(
            "Vcpu", "its [StructLayout] fixes the field order, but the generated state fields need LayoutKind.Auto"));

    [Fact]
    public Task StructOwnerWithExplicitLayoutIsReported() => VerifyAsync(@"
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
public partial struct {|MMU0014:Vcpu|}
{
    [OutOfBandMapping, System.Runtime.InteropServices.FieldOffset(0)] private Pfn _page;
}");

    [Fact]
    public Task StructOwnerWithAutoLayoutIsSilent() => VerifyAsync(@"
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public partial struct Vcpu
{
    [OutOfBandMapping] private Pfn _page;
}");

    [Fact]
    public Task EnumWithAMappingMemberIsReportedAndItsConstantToo() => VerifyAsync(@"
public enum {|MMU0014:Pages|}
{
    [OutOfBandMapping] {|MMU0012:First|},
}");

    [Fact]
    public Task UserMemberNamedLikeAGeneratedPinnedMemberIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _apicAccessPage;
    public void {|#0:MapApicAccessPage|}() { }
}",
        Diagnostic("MMU0015").WithLocation(0).WithArguments(
            "MapApicAccessPage", "for mapping '_apicAccessPage'", "member 'Vcpu.MapApicAccessPage()'"));

    [Fact]
    public Task UserMemberNamedLikeAGeneratedCoveredMemberIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [NotifierCoveredMapping] private Pfn _steal;
    public bool {|MMU0015:IsStealValid|} => true;
}");

    [Fact]
    public Task UserMemberNamedLikeAPerTypeGeneratedMemberIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _page;
    public void {|MMU0015:Teardown|}() { }
}");

    [Fact]
    public Task UserDisposeCollidesOnlyWhenTheOwnerAsksForDisposable() => VerifyAsync(@"
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
    public Task TwoMappingFieldsWithOneStemAreReported() => VerifyAsync(@"
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
    public Task PinnedAndCoveredMappingsMayShareAStem() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _apic;
    [NotifierCoveredMapping] private Pfn apic_;
}");

    [Fact]
    public Task MembersTheGeneratorWroteAreNotCollisions() =>
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
    public Task MappingFieldWhoseStemStartsWithADigitIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn {|#0:_0page|};
}",
        Diagnostic("MMU0012").WithLocation(0).WithArguments(
            "_0page", "has a name whose stem '0page' makes the generated member name '0pagePfn', which is not a valid identifier"));

    [Fact]
    public Task StaticClassOwnerIsReported() => VerifyAsync(@"
public static partial class {|#0:Vcpu|}
{
    [OutOfBandMapping] private static Pfn {|MMU0012:_page|};
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments("Vcpu", "it is a static class, which has no instances to hold a mapping"));

    [Fact]
    public Task ReadonlyStructOwnerIsReported() => VerifyAsync(@"
public readonly partial struct {|#0:Vcpu|}
{
    [OutOfBandMapping] private readonly Pfn {|MMU0012:_page|};
}",
        Diagnostic("MMU0014").WithLocation(0).WithArguments("Vcpu", "it is a readonly struct, but every map and unmap writes its fields"));

    [Fact]
    public Task OwnerDerivingFromAnOwnerIsReported() => VerifyAsync(@"
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
    public Task OwnerNamedLikeAGeneratedMemberIsReported() => VerifyAsync(@"
public partial class {|#0:ApicPfn|}
{
    [OutOfBandMapping] private Pfn _apic;
}",
        Diagnostic("MMU0015").WithLocation(0).WithArguments(
            "ApicPfn", "for mapping '_apic'", "the name of type 'ApicPfn' itself, which its members cannot share"));

    [Fact]
    public Task UserMemberNamedLikeAPrivateGeneratedMemberIsReported() => VerifyAsync(@"
public partial class Vcpu
{
    [OutOfBandMapping] private Pfn _page;
    private object? {|#0:__pinnedMappings|};
}",
        Diagnostic("MMU0015").WithLocation(0).WithArguments(
            "__pinnedMappings", "a private member written for every type with generated mappings", "member 'Vcpu.__pinnedMappings'"));

    [Fact]
    public Task InheritedMemberNamedLikeAGeneratedMemberIsReported() => VerifyAsync(@"
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
    public Task ExplicitCoveredOwnerImplementationIsReported() => VerifyAsync(@"
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
