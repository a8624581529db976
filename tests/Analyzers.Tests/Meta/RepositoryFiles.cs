using System;
using System.IO;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>Finds files of the repository the tests were built from, by walking up to <c>Analyzers.sln</c>.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    public static string Root => RootDirectory.Value;

    public static string PathOf(params string[] relative) => Path.Combine(Root, Path.Combine(relative));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Analyzers.sln above " + AppContext.BaseDirectory + "; the meta tests read the repository's docs and release files.");
    }
}
