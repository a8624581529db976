using System.Threading.Tasks;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// MMU0010 reads the attributes only of members whose declaration can name an MmuGuard attribute
/// (<c>AttributeNameFilter</c>): every way C# lets a declaration apply one still gets its finding.
/// </summary>
public sealed class AnnotationMisuseSyntaxGateTests
{
    private const string Prelude = "public struct Pfn { }\n";

    [Fact]
    public Task Attribute_written_with_its_suffix_and_namespace_is_checked() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        Prelude + "public class Pages { [{|MMU0010:MmuGuard.ReleasesPinAttribute|}] public static void Unmap() { } }");

    [Fact]
    public Task Attribute_written_through_a_global_alias_qualifier_is_checked() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        Prelude + "public class Pages { [{|MMU0010:global::MmuGuard.ReleasesPin|}] public static void Unmap() { } }");

    [Fact]
    public Task Attribute_written_through_a_using_alias_is_checked() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        "using Drop = MmuGuard.ReleasesPinAttribute;\n" + Prelude
        + "public class Pages { [{|MMU0010:Drop|}] public static void Unmap() { } }");

    [Fact]
    public Task Attribute_written_through_an_alias_with_the_attribute_suffix_is_checked() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        "using DropAttribute = MmuGuard.ReleasesPinAttribute;\n" + Prelude
        + "public class Pages { [{|MMU0010:Drop|}] public static void Unmap() { } }");

    [Fact]
    public Task Attribute_written_through_an_alias_declared_in_a_namespace_is_checked() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        Prelude + "namespace Sim { using Drop = MmuGuard.ReleasesPinAttribute; public class Pages { [{|MMU0010:Drop|}] public static void Unmap() { } } }");

    [Fact]
    public Task Attribute_written_through_a_global_using_alias_of_another_file_is_checked() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        new[]
        {
            Prelude + "public class Pages { [{|MMU0010:Drop|}] public static void Unmap() { } }",
            "global using Drop = MmuGuard.ReleasesPinAttribute;\n",
        });

    [Fact]
    public Task Parameter_attributes_through_aliases_are_checked() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        "using Held = MmuGuard.PinnedAttribute;\nusing Lent = MmuGuard.BorrowedAttribute;\n" + Prelude
        + "public class Pages { public void Resolve([Held, {|MMU0010:Lent|}] out Pfn pfn) { pfn = default; } }");

    [Fact]
    public Task Attribute_on_the_implementation_part_of_a_partial_method_is_reported_once() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        "using MmuGuard;\n" + Prelude
        + "public partial class Pages { public static partial void Unmap(); [{|MMU0010:ReleasesPin|}] public static partial void Unmap() { } }");

    [Fact]
    public Task Attribute_on_the_definition_part_of_a_partial_method_is_reported_once() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        "using MmuGuard;\n" + Prelude
        + "public partial class Pages { [{|MMU0010:ReleasesPin|}] public static partial void Unmap(); public static partial void Unmap() { } }");

    [Fact]
    public Task Attribute_on_a_field_is_checked() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        "using MmuGuard;\n" + Prelude
        + "public class Pages { [{|MMU0010:ReloadedOnInvalidation(\"ApicPageReload\")|}] public Pfn Frame; }");

    [Fact]
    public Task Attribute_on_a_property_accessor_is_checked() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        "using MmuGuard;\n" + Prelude
        + "public class Pages { public Pfn Frame { [return: Pinned, {|MMU0010:Borrowed|}] get => default; } }");

    [Fact]
    public Task Member_with_only_unrelated_attributes_is_not_reported() => Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
        Prelude + "public class Pages { [System.Obsolete] public static void Unmap() { } [System.NonSerialized] public Pfn Frame; }");
}
