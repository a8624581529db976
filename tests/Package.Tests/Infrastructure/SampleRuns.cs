using System.IO;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>
/// The repository's samples run exactly as the README says (<c>dotnet run --project Samples/…</c>), but built into
/// the fixture's own artifacts folder so they never share output with the test run's build. Each runs once per test run.
/// </summary>
public static class SampleRuns
{
    public const string TraceFileName = "nestedvirt-trace.json";

    /// <summary>The main job, writing its Chrome trace into the fixture folder.</summary>
    public static CommandResult NestedVirt(PackageFixture fixture) =>
        fixture.Shared("run-nestedvirt", () =>
            Run(fixture, "NestedVirt", "--", "--trace", TracePath(fixture)));

    public static CommandResult BuggySim(PackageFixture fixture) =>
        fixture.Shared("run-buggysim", () => Run(fixture, "BuggySim"));

    /// <summary>The main job with <paramref name="programArguments"/>, not shared (each call runs it again).</summary>
    public static CommandResult NestedVirtWith(PackageFixture fixture, params string[] programArguments) =>
        Run(fixture, "NestedVirt", ["--", .. programArguments]);

    public static string TracePath(PackageFixture fixture) => Path.Combine(fixture.Root, TraceFileName);

    private static CommandResult Run(PackageFixture fixture, string sample, params string[] programArguments)
    {
        var arguments = new[]
        {
            "run",
            "--project",
            Path.Combine(Repository.Samples, sample),
            "--artifacts-path",
            Path.Combine(fixture.Root, "sample-artifacts"),
        };
        return DotnetCommand.Run(Repository.Root, nugetPackages: null, [.. arguments, .. programArguments]);
    }
}
