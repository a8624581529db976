using System;
using System.IO;

namespace MmuGuard.Tests.Shared;

/// <summary>
/// The clone the tests were built from: the folder holding <c>Analyzers.sln</c>, found by walking up from the test
/// assembly. Linked into every test project that reads repository files, so there is one way to find them (compiled-in
/// source paths are no substitute: CI builds map them to <c>/_/</c>).
/// </summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The repository's root folder.</summary>
    public static string Path => Root.Value;

    /// <summary>A path below the root, one segment per argument.</summary>
    public static string PathOf(params string[] relative) => System.IO.Path.Combine(Path, System.IO.Path.Combine(relative));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            "No Analyzers.sln above " + AppContext.BaseDirectory + ": the tests read repository files and must run from a build inside the clone.");
    }
}
