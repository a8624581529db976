using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// The .NET 8 reference assemblies every analyzer test compiles against, as a user's net8.0 sim does. They come from
/// the Basic.Reference.Assemblies.Net80 package, restored once with the test project, so a test run needs no network:
/// <see cref="ReferenceAssemblies.Net.Net80"/> would download Microsoft.NETCore.App.Ref into TMPDIR at test time.
/// </summary>
internal static class Net80References
{
    /// <summary>A framework with no reference package, so the testing library resolves (and downloads) nothing.</summary>
    public static ReferenceAssemblies NothingToResolve { get; } = new("net8.0");

    /// <summary>The net8.0 reference set (System.Runtime, System.Collections, …) shipped inside the package.</summary>
    public static ImmutableArray<MetadataReference> All { get; } =
        ImmutableArray.CreateRange<MetadataReference>(Basic.Reference.Assemblies.Net80.References.All);

    /// <summary>Points a Microsoft.CodeAnalysis.Testing test state at the offline net8.0 references.</summary>
    public static void UseIn(SolutionState state) => state.AdditionalReferences.AddRange(All);
}
