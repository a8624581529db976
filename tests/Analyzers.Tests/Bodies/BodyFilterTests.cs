using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MmuGuard.Analyzers.Bodies;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Analyzers.Tests.Flow;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Bodies;

/// <summary>
/// The syntax pre-filter on its own (docs/design/bodies.md): which bodies it admits to binding, case by case. Each
/// test compiles beside the annotated sim prelude and asks about one member named <c>Body</c>.
/// </summary>
public sealed class BodyFilterTests
{
    [Fact]
    public void Body_that_names_no_contracted_member_is_not_bound() =>
        Assert.False(Admits("""
            class C
            {
                ulong Body(ulong first, int count)
                {
                    var sum = 0UL;
                    for (var i = 0; i < count; i++) sum += first << i;
                    return sum;
                }
            }
            """));

    [Fact]
    public void Body_that_calls_an_annotated_method_is_bound() =>
        Assert.True(Admits("""
            class C
            {
                void Body(PageRefs refs, Pfn pfn) => refs.Pin(pfn);
            }
            """));

    [Fact]
    public void Escaped_identifier_of_an_annotated_method_is_bound() =>
        Assert.True(Admits("""
            class C
            {
                void Body(PageRefs refs, Pfn pfn) => refs.@Pin(pfn);
            }
            """));

    [Fact]
    public void Method_with_an_annotated_parameter_is_bound_whatever_its_body() =>
        Assert.True(Admits("""
            class C
            {
                void Body([ReleasesPin] Pfn pfn) { }
            }
            """));

    [Fact]
    public void Read_of_an_annotated_property_is_bound() =>
        Assert.True(Admits("""
            class C
            {
                ulong Body(MappedPage page) => page.FirstQword;
            }
            """));

    [Fact]
    public void Annotated_field_store_is_bound() =>
        Assert.True(Admits("""
            class C
            {
                [Pinned] private Pfn _page;

                void Body(Pfn pfn) => _page = pfn;
            }
            """));

    [Fact]
    public void Target_typed_new_is_bound_when_a_constructor_carries_a_contract() =>
        Assert.True(Admits("""
            class Guard { public Guard([AcquiresPin] Pfn pfn) { } }

            class C
            {
                private Guard _guard = null!;

                void Body(Pfn pfn) => _guard = new(pfn);
            }
            """));

    [Fact]
    public void Target_typed_new_is_not_bound_when_no_constructor_carries_a_contract() =>
        Assert.False(Admits("""
            class Guard { public Guard(ulong raw) { } }

            class C
            {
                private Guard _guard = null!;

                void Body(ulong raw) => _guard = new(raw);
            }
            """));

    [Fact]
    public void Constructor_is_bound_when_a_constructor_carries_a_contract() =>
        Assert.True(Admits("""
            class Guard
            {
                public Guard([AcquiresPin] Pfn pfn) { }

                protected Guard() { }
            }

            class Body : Guard
            {
                public Body() { }
            }
            """));

    [Fact]
    public void Element_access_is_bound_when_an_indexer_carries_a_contract() =>
        Assert.True(Admits("""
            class Table { [Pinned] public Pfn this[int index] => default; }

            class C
            {
                Pfn Body(Table table) => table[0];
            }
            """));

    [Fact]
    public void Using_is_bound_when_dispose_releases_a_pin() =>
        Assert.True(Admits("""
            class C
            {
                void Body(object held)
                {
                    using var page = (MappedPage)held;
                }
            }
            """));

    [Fact]
    public void Foreach_is_bound_when_an_enumerator_member_carries_a_contract() =>
        Assert.True(Admits("""
            class Pages
            {
                public Cursor GetEnumerator() => new Cursor();
            }

            class Cursor
            {
                [return: Pinned] public bool MoveNext() => false;
                public Pfn Current => default;
            }

            class C
            {
                void Body(Pages pages)
                {
                    foreach (var pfn in pages) { }
                }
            }
            """));

    [Fact]
    public void Query_is_bound_when_a_query_method_carries_a_contract() =>
        Assert.True(Admits("""
            class Frames
            {
                [return: Pinned] public Pfn Select(System.Func<int, int> map) => default;
            }

            class C
            {
                Pfn Body(Frames frames) => from f in frames select f;
            }
            """));

    [Fact]
    public void Attribute_inside_a_body_is_bound() =>
        Assert.True(Admits("""
            class C
            {
                void Body(Pfn pfn)
                {
                    Take(pfn);

                    static void Take([AcquiresPin] Pfn page) { }
                }
            }
            """));

    [Fact]
    public void User_defined_operator_with_a_contract_binds_every_body() =>
        Assert.True(Admits("""
            struct Frame
            {
                [return: Pinned]
                public static Pfn operator +(Frame frame, int offset) => default;
            }

            class C
            {
                ulong Body(ulong value) => value + 1;
            }
            """));

    [Fact]
    public void Delegate_with_a_contract_binds_every_body() =>
        Assert.True(Admits("""
            [return: Pinned]
            delegate Pfn PinSource(ulong hva);

            class C
            {
                ulong Body(ulong value) => value + 1;
            }
            """));

    [Fact]
    public void Assert_alone_does_not_bind_a_body() =>
        Assert.False(Admits("""
            class C
            {
                void Body(bool ok) => System.Diagnostics.Debug.Assert(ok);
            }
            """));

    [Fact]
    public void Member_of_a_generated_file_is_bound_by_name() =>
        Assert.True(Admits(
            """
            partial class Owner
            {
                void Body(Pfn pfn) => MapApicAccessPage(pfn);
            }
            """,
            """
            // <auto-generated/>
            partial class Owner
            {
                private void MapApicAccessPage([AcquiresPin] Pfn pfn) { }
            }
            """));

    [Fact]
    public void Member_of_a_referenced_assembly_that_sees_the_attributes_is_bound_by_name()
    {
        var attributes = Library("Attributes", AttributeSources.All.Select(source => source.Text).ToArray());
        var library = Library("PinLibrary", new[] { "namespace Lib; public static class Pins { public static void Grab([MmuGuard.AcquiresPin] ulong pfn) { } }" }, attributes);
        var compilation = CSharpCompilation.Create(
            "User",
            new[] { CSharpSyntaxTree.ParseText("class C { void Body(ulong pfn) => Lib.Pins.Grab(pfn); }") },
            References().Add(attributes).Add(library),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        Assert.True(Admits(compilation, compilation.SyntaxTrees[0]));
    }

    [Fact]
    public void Private_member_of_a_referenced_assembly_is_not_read() =>
        Assert.DoesNotContain("Hidden", LibraryFilterNames(
            "namespace Lib; public static class Pins { private static void Hidden([MmuGuard.AcquiresPin] ulong pfn) { } public static void Grab([MmuGuard.AcquiresPin] ulong pfn) => Hidden(pfn); }"));

    [Fact]
    public void Internal_member_of_a_referenced_assembly_without_access_is_not_read() =>
        Assert.DoesNotContain("Grab", LibraryFilterNames(
            "namespace Lib; internal static class Pins { internal static void Grab([MmuGuard.AcquiresPin] ulong pfn) { } }"));

    [Fact]
    public void Internal_member_of_a_referenced_assembly_that_gives_access_is_bound_by_name() =>
        Assert.Contains("Grab", LibraryFilterNames(
            "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"User\")] namespace Lib; internal static class Pins { internal static void Grab([MmuGuard.AcquiresPin] ulong pfn) { } }"));

    [Fact]
    public void Private_explicit_interface_implementation_of_a_referenced_assembly_admits_a_using()
    {
        var compilation = UserOfLibrary(
            "namespace Lib; public sealed class Lease : System.IDisposable { [MmuGuard.ReleasesPin] void System.IDisposable.Dispose() { } }",
            "class C { void Body(Lib.Lease lease) { using (lease) { } } }");

        Assert.True(Admits(compilation, compilation.SyntaxTrees[0]));
    }

    [Fact]
    public void Edit_that_annotates_a_member_reaches_the_next_compilation_and_leaves_the_last_one_as_it_was()
    {
        // An IDE keystroke: the next compilation shares the unchanged tree and replaces the edited one. What a tree
        // reaches is kept per tree, so the edited tree must be read again and the unchanged one must not change.
        var unchanged = CSharpSyntaxTree.ParseText("class Other { [MmuGuard.AcquiresPin] public static ulong Take(ulong pfn) => pfn; }");
        var before = CSharpSyntaxTree.ParseText("class Edited { public static void Grab(ulong pfn) { } }");
        var first = UserOfLibrary("namespace Lib; public static class Nothing { }", "class C { }").AddSyntaxTrees(unchanged, before);
        var after = before.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            "class Edited { public static void Grab([MmuGuard.AcquiresPin] ulong pfn) { } }"));
        var second = first.ReplaceSyntaxTree(before, after);

        var firstNames = FilterNames(first);
        var secondNames = FilterNames(second);

        Assert.Contains("Take", firstNames);
        Assert.DoesNotContain("Grab", firstNames);
        Assert.Contains("Take", secondNames);
        Assert.Contains("Grab", secondNames);
        Assert.DoesNotContain("Grab", FilterNames(first.RemoveAllSyntaxTrees().AddSyntaxTrees(first.SyntaxTrees)));
    }

    private static IReadOnlyCollection<string> FilterNames(Compilation compilation) =>
        ContractBodies.Of(compilation, CompilationFlow.Create(compilation)!.Contracts, default).Filter.Names;

    /// <summary>The names the contract filter of a compilation named <c>User</c> reads from one referenced library.</summary>
    private static IReadOnlyCollection<string> LibraryFilterNames(string librarySource) =>
        FilterNames(UserOfLibrary(librarySource, "class C { }"));

    /// <summary>A compilation named <c>User</c> of <paramref name="userSource"/>, referencing the attributes and a library built from <paramref name="librarySource"/>.</summary>
    private static CSharpCompilation UserOfLibrary(string librarySource, string userSource)
    {
        var attributes = Library("Attributes", AttributeSources.All.Select(source => source.Text).ToArray());
        var library = Library("PinLibrary", new[] { librarySource }, attributes);
        return CSharpCompilation.Create(
            "User",
            new[] { CSharpSyntaxTree.ParseText(userSource) },
            References().Add(attributes).Add(library),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    private static bool Admits(string source, string? generated = null)
    {
        source = "using MmuGuard;\n" + source;
        generated = generated is null ? null : "using MmuGuard;\n" + generated;
        var compilation = FlowHarness.Compile(generated ?? source);
        var tree = CSharpSyntaxTree.ParseText(source);
        compilation = generated is null ? compilation : compilation.AddSyntaxTrees(tree);
        return Admits(compilation, generated is null ? compilation.SyntaxTrees.Last() : tree);
    }

    private static bool Admits(CSharpCompilation compilation, SyntaxTree tree)
    {
        Assert.Empty(compilation.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error));
        var declaration = tree.GetRoot().DescendantNodes().OfType<MemberDeclarationSyntax>().Single(member => member switch
        {
            MethodDeclarationSyntax method => method.Identifier.Text == "Body",
            ConstructorDeclarationSyntax constructor => constructor.Identifier.Text == "Body",
            _ => false,
        });
        var symbol = compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration)!;
        var flow = CompilationFlow.Create(compilation)!;
        return ContractBodies.Of(compilation, flow.Contracts, default).Admits(symbol, declaration, ExecutableCode.Of(declaration));
    }

    private static MetadataReference Library(string name, string[] sources, params MetadataReference[] references)
    {
        var compilation = CSharpCompilation.Create(
            name,
            sources.Select(source => CSharpSyntaxTree.ParseText(source)),
            References().AddRange(references),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(compilation.Emit(image).Success);
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private static ImmutableArray<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
}
