using System;
using System.IO;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>Where the repository's pieces are, found from the test assembly's location.</summary>
public static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The clone's root: the folder holding <c>Analyzers.sln</c>.</summary>
    public static string Root => LazyRoot.Value;

    public static string RuntimeProject => Path.Combine(Root, "Runtime", "MmuGuard.Runtime.csproj");

    public static string Samples => Path.Combine(Root, "Samples");

    public static string RuleDocs => Path.Combine(Root, "docs", "rules");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analyzers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No Analyzers.sln above {AppContext.BaseDirectory}: the package tests must run from a build inside the clone.");
    }
}
