using System;
using System.Collections.Concurrent;
using System.IO;
using Xunit;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>
/// Packs the MmuGuard package once per test run into a private folder feed, with a version no earlier run used,
/// and hands out consumer projects that restore it from there into a private package cache, so no NuGet cache can
/// serve a stale MmuGuard. Expensive consumer builds that several tests read are run once and shared.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<object>> _shared = new();

    public PackageFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "mmuguard-e2e-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Root, "feed");
        ConsumerPackages = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Feed);

        // SemVer numeric identifiers may not start with 0; the year never does.
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";
        PackResult = Pack(Feed, Path.Combine(Root, "pack-artifacts"));
        PackagePath = Path.Combine(Feed, $"MmuGuard.{Version}.nupkg");
        SymbolPackagePath = Path.Combine(Feed, $"MmuGuard.{Version}.snupkg");
        if (!File.Exists(PackagePath))
        {
            throw new CommandFailedException($"The pack produced no {PackagePath}. {PackResult.Describe()}");
        }
    }

    /// <summary>The temporary folder holding the feed, the private cache, and every consumer.</summary>
    public string Root { get; }

    /// <summary>The folder feed the package was packed into.</summary>
    public string Feed { get; }

    /// <summary>The private <c>NUGET_PACKAGES</c> every consumer restores into.</summary>
    public string ConsumerPackages { get; }

    /// <summary>This run's unique package version.</summary>
    public string Version { get; }

    public CommandResult PackResult { get; }

    public string PackagePath { get; }

    public string SymbolPackagePath { get; }

    /// <summary>
    /// Packs the repository's package again with this run's version into <paramref name="outputFolder"/>, building in
    /// <paramref name="artifactsFolder"/> so it never shares build output with the test run or another pack.
    /// </summary>
    public CommandResult Pack(string outputFolder, string artifactsFolder) =>
        DotnetCommand.Run(
            Repository.Root,
            nugetPackages: null,
            "pack",
            Repository.RuntimeProject,
            "-c",
            "Release",
            "-o",
            outputFolder,
            "--artifacts-path",
            artifactsFolder,
            "-p:Version=" + Version,
            "-nodeReuse:false",
            "-tl:off").EnsureSuccess();

    /// <summary>A fresh console project referencing <c>MmuGuard</c> at this run's version, in its own folder.</summary>
    public ConsumerProject CreateConsumer(string name, params (string Id, string Version)[] extraPackages) =>
        ConsumerProject.Create(this, Path.Combine(Root, "consumers", name), extraPackages);

    /// <summary>Runs <paramref name="produce"/> once per test run under <paramref name="key"/> and shares its result.</summary>
    public T Shared<T>(string key, Func<T> produce)
        where T : class =>
        (T)_shared.GetOrAdd(key, _ => new Lazy<object>(() => produce())).Value;

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("MMUGUARD_E2E_KEEP") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file open for a moment; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
