using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using MmuGuard.Generators.Tests.Inputs;

namespace MmuGuard.Generators.Tests.Infrastructure;

/// <summary>
/// Builds each representative input with its generated code into a real assembly, once per test run, and loads it
/// into its own load context (the Runtime it references resolves to the one the tests use).
/// </summary>
internal static class GeneratedAssemblies
{
    private static readonly ConcurrentDictionary<string, Lazy<Assembly>> Built = new();

    public static Type OwnerTypeOf(GeneratorInput input)
    {
        var assembly = Built.GetOrAdd(input.Name, _ => new Lazy<Assembly>(() => Build(input))).Value;
        return assembly.GetType(input.OwnerMetadataName, throwOnError: true)!;
    }

    private static Assembly Build(GeneratorInput input)
    {
        var run = GeneratorHarness.Run(input.Sources);
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException(
                $"{input.Name} does not build: " + string.Join("\n", emitted.Diagnostics.Select(d => d.ToString())));
        }

        image.Position = 0;
        return new AssemblyLoadContext(input.Name).LoadFromStream(image);
    }
}
