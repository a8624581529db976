using System;
using System.Globalization;
using System.IO;

namespace MmuGuard.Benchmarks;

/// <summary>
/// <c>analyzer-corpus DIR ANALYZERS_DLL RUNTIME_DLL [FILES] [DENSITY]</c>: writes the <see cref="AnalyzerCorpus"/> and a project
/// that compiles it with MmuGuard's analyzers, CA2000 and IDISP001 enabled and every other analyzer diagnostic off, so
/// one <c>dotnet build -p:ReportAnalyzer=true</c> times all three on the same pin handles (docs/benchmarks.md).
/// DENSITY is <c>dense</c> (the default mix, about seven methods in ten touch a contract) or the percentage of methods
/// that do (<c>5</c> for the sparse corpus).
/// </summary>
public static class AnalyzerCorpusCommand
{
    public const string Name = "analyzer-corpus";

    private const int DefaultFiles = 480;

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: " + Name + " DIR ANALYZERS_DLL RUNTIME_DLL [FILES] [dense|PERCENT]");
            return 2;
        }

        var directory = Path.GetFullPath(args[0]);
        var analyzers = RequireFile(args[1]);
        var runtime = RequireFile(args[2]);
        var files = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : DefaultFiles;
        var density = args.Length > 4 && args[4] != "dense" ? int.Parse(args[4], CultureInfo.InvariantCulture) : AnalyzerCorpus.Dense;
        var lines = AnalyzerCorpus.Write(Path.Combine(directory, "src"), files, density);
        File.WriteAllText(Path.Combine(directory, "Corpus.csproj"), Project(analyzers, runtime));
        File.WriteAllText(Path.Combine(directory, "corpus.globalconfig"), GlobalConfig);
        File.WriteAllText(Path.Combine(directory, "sdk.globalconfig"), SdkGlobalConfig);
        Console.WriteLine($"{lines} lines in {files + 1} files under {directory}");
        return 0;
    }

    private static string RequireFile(string path)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new FileNotFoundException("Build it first (dotnet build -c Release); not found: " + full, full);
    }

    private static string Project(string analyzers, string runtime) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <OutputType>Library</OutputType>
            <Nullable>enable</Nullable>
            <ImplicitUsings>disable</ImplicitUsings>
            <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
            <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <Reference Include="MmuGuard.Runtime" HintPath="{runtime}" />
          </ItemGroup>
          <!-- -p:Compared=mmuguard|ca2000|idisp builds with one analyzer set; -p:RunAnalyzers=false with none (the baseline). -->
          <PropertyGroup>
            <Compared Condition="'$(Compared)' == ''">all</Compared>
            <DefaultAnalyzers Condition="'$(Compared)' == 'sdk' or '$(Compared)' == 'sdk-mmuguard'">true</DefaultAnalyzers>
            <!-- The SDK's bundled NetAnalyzers stays off, so the CA2000 measured is the package version below ... -->
            <EnableNETAnalyzers Condition="'$(DefaultAnalyzers)' != 'true'">false</EnableNETAnalyzers>
          </PropertyGroup>
          <!-- ... and every analyzer diagnostic but the compared ones is off ... -->
          <ItemGroup Condition="'$(DefaultAnalyzers)' != 'true'">
            <GlobalAnalyzerConfigFiles Include="corpus.globalconfig" />
          </ItemGroup>
          <!-- ... except in -p:Compared=sdk|sdk-mmuguard: what a new project builds with, the SDK's analyzers at their
               default severities, without and with MmuGuard (its rules on, as in the other builds). -->
          <ItemGroup Condition="'$(DefaultAnalyzers)' == 'true'">
            <GlobalAnalyzerConfigFiles Include="sdk.globalconfig" />
          </ItemGroup>
          <ItemGroup Condition="'$(Compared)' == 'all' or '$(Compared)' == 'mmuguard' or '$(Compared)' == 'sdk-mmuguard'">
            <Analyzer Include="{analyzers}" />
          </ItemGroup>
          <!-- -p:Compared=before -p:BeforeAnalyzers=PATH: another build of MmuGuard.Analyzers.dll, to time two versions in one paired run. -->
          <ItemGroup Condition="'$(Compared)' == 'before'">
            <Analyzer Include="$(BeforeAnalyzers)" />
          </ItemGroup>
          <ItemGroup Condition="'$(Compared)' == 'all' or '$(Compared)' == 'ca2000'">
            <PackageReference Include="Microsoft.CodeAnalysis.NetAnalyzers" Version="10.0.401" PrivateAssets="all" />
          </ItemGroup>
          <ItemGroup Condition="'$(Compared)' == 'all' or '$(Compared)' == 'idisp'">
            <PackageReference Include="IDisposableAnalyzers" Version="4.0.8" PrivateAssets="all" />
          </ItemGroup>
        </Project>

        """;

    /// <remarks>
    /// A global config, not an .editorconfig: severities set per tree still run every analyzer and drop its
    /// diagnostics afterwards, while global ones let the compiler skip analyzers whose every rule is off.
    /// </remarks>
    private const string GlobalConfig = """
        is_global = true

        # Everything off except the rules compared: every MmuGuard rule, CA2000 and IDISP001.
        dotnet_analyzer_diagnostic.severity = none
        dotnet_diagnostic.CA2000.severity = warning
        dotnet_diagnostic.IDISP001.severity = warning

        """ + MmuGuardRules;

    /// <summary>The builds with the SDK's default analyzers: their severities untouched, every MmuGuard rule on.</summary>
    private const string SdkGlobalConfig = """
        is_global = true

        """ + MmuGuardRules;

    private const string MmuGuardRules = """
        dotnet_diagnostic.MMU0001.severity = warning
        dotnet_diagnostic.MMU0002.severity = warning
        dotnet_diagnostic.MMU0003.severity = warning
        dotnet_diagnostic.MMU0004.severity = warning
        dotnet_diagnostic.MMU0005.severity = warning
        dotnet_diagnostic.MMU0006.severity = warning
        dotnet_diagnostic.MMU0007.severity = warning
        dotnet_diagnostic.MMU0008.severity = warning
        dotnet_diagnostic.MMU0009.severity = warning
        dotnet_diagnostic.MMU0010.severity = warning
        dotnet_diagnostic.MMU0011.severity = warning
        dotnet_diagnostic.MMU0012.severity = warning
        dotnet_diagnostic.MMU0013.severity = warning
        dotnet_diagnostic.MMU0014.severity = warning
        dotnet_diagnostic.MMU0015.severity = warning
        dotnet_diagnostic.MMU0016.severity = warning
        dotnet_diagnostic.MMU0017.severity = warning
        dotnet_diagnostic.MMU0018.severity = warning
        dotnet_diagnostic.MMU0019.severity = warning
        dotnet_diagnostic.MMU0020.severity = warning
        dotnet_diagnostic.MMU0021.severity = warning
        dotnet_diagnostic.MMU0022.severity = warning
        dotnet_diagnostic.MMU0023.severity = warning
        dotnet_diagnostic.MMU0024.severity = warning
        dotnet_diagnostic.MMU0025.severity = warning
        dotnet_diagnostic.MMU0026.severity = warning

        """;
}
