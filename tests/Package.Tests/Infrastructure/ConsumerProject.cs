using System;
using System.IO;
using System.Linq;
using System.Security;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>
/// A downstream console project in a temp folder that references the packed <c>MmuGuard</c> by version from the
/// fixture's folder feed (plus nuget.org), as a user's sim would, and never the repository's projects.
/// </summary>
public sealed class ConsumerProject
{
    private readonly PackageFixture _fixture;

    private ConsumerProject(PackageFixture fixture, string folder)
    {
        _fixture = fixture;
        Folder = folder;
    }

    public string Folder { get; }

    public string ProjectFile => Path.Combine(Folder, "Consumer.csproj");

    internal static ConsumerProject Create(PackageFixture fixture, string folder, (string Id, string Version)[] extraPackages)
    {
        if (Directory.Exists(folder))
        {
            throw new InvalidOperationException($"Consumer folder {folder} already exists; give each consumer its own name.");
        }

        Directory.CreateDirectory(folder);
        var consumer = new ConsumerProject(fixture, folder);
        var references = string.Concat(
            new[] { ("MmuGuard", fixture.Version) }.Concat(extraPackages)
                .Select(p => $"\n    <PackageReference Include=\"{p.Item1}\" Version=\"{p.Item2}\" />"));
        consumer.WriteFile("Consumer.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <LangVersion>latest</LangVersion>
                <RootNamespace>Consumer</RootNamespace>
              </PropertyGroup>
              <ItemGroup>{references}
              </ItemGroup>
            </Project>
            """);

        // The developer's package cache serves as a read-only fallback for third-party packages (saves downloads);
        // it can never serve MmuGuard, whose version is new in every run.
        var fallback = DeveloperPackageCache() is { } cache
            ? $"""

              <fallbackPackageFolders>
                <add key="developer cache" value="{SecurityElement.Escape(cache)}" />
              </fallbackPackageFolders>
            """
            : string.Empty;
        consumer.WriteFile("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="mmuguard-under-test" value="{SecurityElement.Escape(fixture.Feed)}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="mmuguard-under-test">
                  <package pattern="MmuGuard" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>{fallback}
            </configuration>
            """);
        return consumer;
    }

    /// <summary>Copies the C# sources under <paramref name="sourceFolder"/> into <paramref name="subfolder"/> of this project.</summary>
    public ConsumerProject AddSources(string sourceFolder, string subfolder)
    {
        SourceFiles.Copy(sourceFolder, Path.Combine(Folder, subfolder));
        return this;
    }

    public ConsumerProject WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public string ReadFile(string relativePath) => File.ReadAllText(Path.Combine(Folder, relativePath));

    /// <summary>Restores and builds from scratch; the result is returned whatever the exit code, for the test to judge.</summary>
    public CommandResult Build(params string[] properties) =>
        Dotnet(new[] { "build", ProjectFile, "--no-incremental", "-nodeReuse:false", "-tl:off", "-clp:NoSummary" }.Concat(properties).ToArray());

    /// <summary>Runs the built program.</summary>
    public CommandResult Run() => Dotnet("run", "--project", ProjectFile, "--no-build");

    /// <summary>Runs <c>dotnet format <paramref name="verb"/></c> on the project with <paramref name="options"/>.</summary>
    public CommandResult Format(string verb, params string[] options) =>
        Dotnet(new[] { "format", verb, ProjectFile }.Concat(options).Concat(new[] { "-v", "diag" }).ToArray());

    private CommandResult Dotnet(params string[] arguments) =>
        DotnetCommand.Run(Folder, _fixture.ConsumerPackages, arguments);

    private static string? DeveloperPackageCache()
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        var cache = string.IsNullOrEmpty(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
            : configured;
        return Directory.Exists(cache) ? cache : null;
    }
}
