using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>The ownership attribute sources (embedded from Runtime/Attributes), compiled into every test as a downstream sim sees them.</summary>
internal static class AttributeSources
{
    private static readonly (string Name, string Text)[] Sources = Load();

    public static IReadOnlyList<(string Name, string Text)> All => Sources;

    private static (string Name, string Text)[] Load()
    {
        var assembly = typeof(AttributeSources).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("Attributes.", System.StringComparison.Ordinal))
            .OrderBy(name => name, System.StringComparer.Ordinal)
            .Select(name => (name, Read(assembly, name)))
            .ToArray();
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
