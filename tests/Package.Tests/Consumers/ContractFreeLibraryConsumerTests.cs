using System;
using System.IO;
using System.Linq;
using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Consumers;

/// <summary>
/// A consumer checks a library that has never heard of MmuGuard (a second project with no reference to it) through
/// a contracts file of its own, with the packed analyzers: issue 15's "code you don't own".
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ContractFreeLibraryConsumerTests
{
    /// <summary>follow_pte, get_user_pages, get_page/put_page and a vmcs02 field, with no attribute anywhere.</summary>
    private const string Library = """
        namespace Vendor.Mm;

        public readonly struct Pfn
        {
            public Pfn(ulong value) { Value = value; }
            public ulong Value { get; }
        }

        public sealed class PageTable
        {
            public Pfn Walk(ulong hva) => new Pfn(hva >> 12);
            public Pfn GetUserPage(ulong hva) => new Pfn(hva >> 12);
        }

        public sealed class Frames
        {
            public void Get(Pfn pfn) { }
            public void Put(Pfn pfn) { }
        }

        public sealed class Vmcs
        {
            public void WriteApicAccess(Pfn pfn) { }
        }
        """;

    private const string LibraryProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    private const string Contracts = """
        # Vendor.Mm, which we cannot change, described for MmuGuard.
        M:Vendor.Mm.PageTable.Walk(System.UInt64)  return: Borrowed, MayBeNonRefcounted
        M:Vendor.Mm.PageTable.GetUserPage(System.UInt64)  return: Pinned
        M:Vendor.Mm.Frames.Get(Vendor.Mm.Pfn)  param pfn: AcquiresPin
        M:Vendor.Mm.Frames.Put(Vendor.Mm.Pfn)  param pfn: ReleasesPin
        M:Vendor.Mm.Vmcs.WriteApicAccess(Vendor.Mm.Pfn)  param pfn: OutOfBandSink
        """;

    /// <summary>Three bugs only the contracts make visible, and a helper whose contract the inference proves.</summary>
    private const string Faults = """
        using Vendor.Mm;

        namespace Consumer;

        internal static class Faults
        {
            public static void PinRemapped(PageTable table, Frames frames, ulong hva)
            {
                var pfn = table.Walk(hva);
                frames.Get(pfn); // expect: MMU0002
                frames.Put(pfn);
            }

            public static void MapUnpinned(PageTable table, Vmcs vmcs, ulong hva)
            {
                var pfn = table.Walk(hva);
                vmcs.WriteApicAccess(pfn); // expect: MMU0001
            }

            public static void Leak(PageTable table, Frames frames, ulong hva, bool early)
            {
                var pfn = table.GetUserPage(hva);
                if (early)
                {
                    return; // expect: MMU0005
                }

                frames.Put(pfn);
            }

            public static void Drop(Frames frames, Pfn pfn) => frames.Put(pfn); // expect: MMU0023
        }
        """;

    private readonly PackageFixture _fixture;

    public ContractFreeLibraryConsumerTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void The_packed_analyzers_report_the_library_misuse_the_consumers_contracts_file_describes()
    {
        var consumer = CreateConsumer("contract-free-library");
        var marked = MarkedDiagnostics.In(consumer.Folder);

        var build = consumer.Build();

        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.Equal(4, marked.Count);
        Assert.Equal(
            marked.OrderBy(d => d.ToString()),
            BuildDiagnostics.Parse(build.Output, consumer.Folder, "warning").OrderBy(d => d.ToString()));
    }

    [Fact]
    public void Without_the_contracts_file_the_library_is_unknown_and_nothing_is_reported()
    {
        var consumer = CreateConsumer("contract-free-library-no-file");
        File.Delete(Path.Combine(consumer.Folder, "MmuGuard.Contracts.txt"));

        var build = consumer.Build();

        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.False(BuildDiagnostics.MentionsAnyRule(build.Output), build.Describe());
    }

    [Fact]
    public void Dotnet_format_writes_the_contract_the_helper_proves_and_the_rebuilt_project_no_longer_suggests_it()
    {
        var consumer = CreateConsumer("contract-free-library-format");

        var format = consumer.Format("analyzers", "--diagnostics", "MMU0023", "--severity", "info");
        var after = consumer.Build();

        Assert.True(format.ExitCode == 0, format.Describe());
        Assert.Contains("ReleasesPin] Pfn pfn)", consumer.ReadFile("Faults.cs"), StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, after.Describe());
        Assert.DoesNotContain(BuildDiagnostics.Parse(after.Output, consumer.Folder, "warning"), d => d.Id == "MMU0023");
    }

    /// <summary>The consumer, the library beside it as a project reference, and the contracts file as an additional file.</summary>
    private ConsumerProject CreateConsumer(string name)
    {
        var consumer = _fixture.CreateConsumer(name)
            .WriteFile("Program.cs", ConsumerSources.EmptyProgram)
            .WriteFile("Faults.cs", Faults)
            .WriteFile("MmuGuard.Contracts.txt", Contracts)
            .WriteFile(Path.Combine("VendorLib", "VendorLib.csproj"), LibraryProject)
            .WriteFile(Path.Combine("VendorLib", "Vendor.cs"), Library)
            .WriteFile(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.MMU0023.severity = warning\n");
        var project = consumer.ReadFile("Consumer.csproj");
        var items = """
              <ItemGroup>
                <Compile Remove="VendorLib/**" />
                <ProjectReference Include="VendorLib/VendorLib.csproj" />
                <AdditionalFiles Include="MmuGuard.Contracts.txt" Condition="Exists('MmuGuard.Contracts.txt')" />
              </ItemGroup>
            </Project>
            """;
        return consumer.WriteFile("Consumer.csproj", project.Substring(0, project.LastIndexOf("</Project>", StringComparison.Ordinal)) + items);
    }
}
