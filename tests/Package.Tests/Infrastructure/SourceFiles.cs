using System;
using System.Collections.Generic;
using System.IO;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>The C# sources of a project folder, without build output, and their project-relative names.</summary>
public static class SourceFiles
{
    public static IEnumerable<string> Under(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Relative(folder, file);
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)
                || relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal))
            {
                continue;
            }

            yield return file;
        }
    }

    public static string Relative(string folder, string file) =>
        Path.GetRelativePath(folder, file).Replace('\\', '/');

    /// <summary>Copies the sources under <paramref name="from"/> into <paramref name="to"/>, keeping relative paths.</summary>
    public static void Copy(string from, string to)
    {
        foreach (var file in Under(from))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
