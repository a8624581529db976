using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Packaging;

/// <summary>What the one MmuGuard package carries, and the metadata NuGet shows for it.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests
{
    private readonly PackageFixture _fixture;

    public PackageLayoutTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Lib_holds_only_the_runtime_assembly_and_its_xml_docs()
    {
        var lib = EntryNames().Where(n => n.StartsWith("lib/", StringComparison.Ordinal)).Order().ToArray();

        Assert.Equal(new[] { "lib/net8.0/MmuGuard.Runtime.dll", "lib/net8.0/MmuGuard.Runtime.xml" }, lib);
    }

    [Fact]
    public void Analyzers_folder_holds_the_analyzers_code_fixes_and_generator_for_csharp()
    {
        var analyzers = EntryNames().Where(n => n.StartsWith("analyzers/", StringComparison.Ordinal)).Order().ToArray();

        Assert.Equal(
            new[]
            {
                "analyzers/dotnet/cs/MmuGuard.Analyzers.CodeFixes.dll",
                "analyzers/dotnet/cs/MmuGuard.Analyzers.dll",
                "analyzers/dotnet/cs/MmuGuard.Generators.dll",
            },
            analyzers);
    }

    [Fact]
    public void Nuspec_carries_id_version_license_readme_project_url_tags_and_description()
    {
        var metadata = Nuspec().Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("MmuGuard", Value("id"));
        Assert.Equal(_fixture.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("expression", metadata.Elements().Single(e => e.Name.LocalName == "license").Attribute("type")?.Value);
        Assert.Equal("PACKAGE.md", Value("readme"));
        Assert.StartsWith("https://", Value("projectUrl"), StringComparison.Ordinal);
        Assert.Contains("kvm", Value("tags").Split(' '));
        Assert.Contains("CVE-2021-22543", Value("description"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_the_nuspec_names_is_in_the_package_and_is_the_consumer_readme()
    {
        var readme = PackageReadme();

        Assert.StartsWith("# MmuGuard", readme, StringComparison.Ordinal);
        Assert.Contains("<PackageReference Include=\"MmuGuard\"", readme, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "Runtime", "PACKAGE.md")), readme);
    }

    [Fact]
    public void Every_link_in_the_package_readme_is_absolute()
    {
        // A relative link resolves against nothing inside the package or on a gallery page.
        var targets = System.Text.RegularExpressions.Regex.Matches(PackageReadme(), @"\]\(([^)\s]+)\)|<(https?://[^>]+)>")
            .Select(match => match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value)
            .ToArray();

        Assert.NotEmpty(targets);
        Assert.All(targets, target => Assert.StartsWith("https://", target, StringComparison.Ordinal));
    }

    [Fact]
    public void Package_has_no_dependencies_so_roslyn_never_flows_to_consumers()
    {
        var dependencies = Nuspec().Descendants().Where(e => e.Name.LocalName == "dependency").ToArray();

        Assert.Empty(dependencies);
    }

    [Fact]
    public void Symbols_package_holds_the_runtime_pdb()
    {
        using var symbols = ZipFile.OpenRead(_fixture.SymbolPackagePath);

        Assert.Contains("lib/net8.0/MmuGuard.Runtime.pdb", symbols.Entries.Select(e => e.FullName));
    }

    private string PackageReadme()
    {
        var metadata = Nuspec().Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var name = metadata.Elements().Single(e => e.Name.LocalName == "readme").Value;
        using var package = ZipFile.OpenRead(_fixture.PackagePath);
        var entry = package.GetEntry(name);
        Assert.True(entry is not null, $"The nuspec names readme '{name}', which is not in the package.");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private string[] EntryNames()
    {
        using var package = ZipFile.OpenRead(_fixture.PackagePath);
        return package.Entries.Select(e => e.FullName).ToArray();
    }

    private XDocument Nuspec()
    {
        using var package = ZipFile.OpenRead(_fixture.PackagePath);
        using var stream = package.GetEntry("MmuGuard.nuspec")!.Open();
        return XDocument.Load(stream);
    }
}
