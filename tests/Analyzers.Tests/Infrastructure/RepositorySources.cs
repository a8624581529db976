using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MmuGuard.Tests.Shared;

namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>The C# sources of a repository folder (bin/ and obj/ skipped), in a stable order, for tests that compile whole projects.</summary>
internal static class RepositorySources
{
    public static IEnumerable<(string Path, string Text)> Under(params string[] folder)
    {
        var root = RepositoryRoot.PathOf(folder);
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains(separator + "obj" + separator, StringComparison.Ordinal)
                && !path.Contains(separator + "bin" + separator, StringComparison.Ordinal))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(path)));
    }
}
