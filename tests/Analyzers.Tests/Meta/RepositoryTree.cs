using System.Collections.Generic;
using System.IO;
using System.Linq;
using MmuGuard.Tests.Shared;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>The repository's own files below a folder, without build output, for the meta tests that read source.</summary>
internal static class RepositoryTree
{
    /// <summary>The files matching <paramref name="pattern"/> below <paramref name="folder"/> (a root-relative path), outside bin/ and obj/.</summary>
    public static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.EnumerateFiles(RepositoryRoot.PathOf(folder.Split('/')), pattern, SearchOption.AllDirectories)
            .Where(path => !Segments(path).Any(segment => segment is "bin" or "obj"));

    /// <summary>The path relative to the repository root, with forward slashes.</summary>
    public static string Relative(string path) => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/');

    /// <summary>The folders and file name of a path, relative to the repository root.</summary>
    public static string[] Segments(string path) => Relative(path).Split('/');
}
