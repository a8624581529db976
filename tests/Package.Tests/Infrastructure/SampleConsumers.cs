using System.IO;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>Consumer copies of the repository's samples, referencing the packed package instead of the projects.</summary>
public static class SampleConsumers
{
    /// <summary>The Roslyn that NestedVirt's in-process analyzer report compiles against.</summary>
    public static readonly (string Id, string Version) Roslyn = ("Microsoft.CodeAnalysis.CSharp", "4.14.0");

    /// <summary>A consumer holding the shared world and BuggySim, every bug marked with <c>// expect:</c>.</summary>
    public static ConsumerProject BuggySim(PackageFixture fixture, string name) =>
        fixture.CreateConsumer(name)
            .AddSources(Path.Combine(Repository.Samples, "World"), "World")
            .AddSources(Path.Combine(Repository.Samples, "BuggySim"), "BuggySim");

    /// <summary>A consumer holding the shared world and the clean NestedVirt sample.</summary>
    public static ConsumerProject NestedVirt(PackageFixture fixture, string name) =>
        fixture.CreateConsumer(name, Roslyn)
            .AddSources(Path.Combine(Repository.Samples, "World"), "World")
            .AddSources(Path.Combine(Repository.Samples, "NestedVirt"), "NestedVirt");
}
