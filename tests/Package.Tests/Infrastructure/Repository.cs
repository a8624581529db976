using System.IO;
using MmuGuard.Tests.Shared;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>Where the repository's pieces are, found from the test assembly's location.</summary>
public static class Repository
{
    /// <summary>The clone's root: the folder holding <c>Analyzers.sln</c>.</summary>
    public static string Root => RepositoryRoot.Path;

    public static string RuntimeProject => Path.Combine(Root, "Runtime", "MmuGuard.Runtime.csproj");

    public static string Samples => Path.Combine(Root, "Samples");

    public static string RuleDocs => Path.Combine(Root, "docs", "rules");
}
