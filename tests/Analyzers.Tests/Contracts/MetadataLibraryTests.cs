using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Contracts;

/// <summary>
/// A consumer of a compiled library that has never heard of MmuGuard, with no MmuGuard reference of its own, is
/// checked purely through the contracts file.
/// </summary>
public sealed class MetadataLibraryTests
{
    [Fact]
    public async Task Leak_of_a_pin_from_a_referenced_contract_free_assembly_is_reported()
    {
        var test = new ContractsFileTest(VendorMm.Contracts);
        test.TestState.AdditionalReferences.Add(CompileVendor());
        test.TestState.Sources.Add("""
            using Vendor.Mm;
            class Fault
            {
                void Resolve(PageTable table, Frames frames, ulong hva)
                {
                    var pfn = table.GetUserPage(hva);
                    frames.SetDirty(pfn);
                {|MMU0005:}|}
            }
            """);
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Unknown_member_of_a_referenced_assembly_is_MMU0019()
    {
        const string Line = "M:Vendor.Mm.PageTable.Walk(System.Int64)  return: Borrowed";
        var test = new ContractsFileTest(Line);
        test.TestState.AdditionalReferences.Add(CompileVendor());
        test.TestState.Sources.Add("class Sim { }");
        test.ExpectedDiagnostics.Add(ContractsFileTest.OnFileLine("MMU0019", 1, 1, Line.IndexOf(' ') + 1));
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary><see cref="VendorMm.Source"/> compiled alone against the .NET 8 reference assemblies the tests use.</summary>
    private static MetadataReference CompileVendor()
    {
        var references = Infrastructure.Net80References.All;
        var compilation = CSharpCompilation.Create(
            "Vendor.Mm",
            new[] { CSharpSyntaxTree.ParseText(VendorMm.Source) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        Assert.Null(compilation.GetTypeByMetadataName("MmuGuard.PinnedAttribute"));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
