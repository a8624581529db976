using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MmuGuard.Mapping;

namespace MmuGuard.Generators.Tests.Infrastructure;

/// <summary>
/// Compiles test sources as a downstream sim would (the running .NET's assemblies plus MmuGuard.Runtime), runs the
/// bookkeeping generator over them with step tracking on, and hands back what it produced.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>What a library that publishes XML docs compiles with: missing or broken doc comments are warnings.</summary>
    public static readonly CSharpParseOptions DocumentedParseOptions = ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    public static CSharpCompilation Compile(params string[] sources) => Compile(ParseOptions, sources);

    public static CSharpCompilation Compile(CSharpParseOptions parseOptions, params string[] sources) =>
        CSharpCompilation.Create(
            "Sim",
            sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, parseOptions, path: $"Input{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() => CreateDriver(ParseOptions);

    public static GeneratorDriver CreateDriver(CSharpParseOptions parseOptions) =>
        CSharpGeneratorDriver.Create(
            new[] { new MappingBookkeepingGenerator().AsSourceGenerator() },
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(ParseOptions, sources);

    public static GeneratorRun Run(CSharpParseOptions parseOptions, params string[] sources)
    {
        var input = Compile(parseOptions, sources);
        var driver = CreateDriver(parseOptions).RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var run = new GeneratorRun(driver.GetRunResult(), output, diagnostics);

        // Every generator test doubles as a check that whatever the generator writes compiles.
        if (run.GeneratedCodeProblems.Count > 0)
        {
            throw new InvalidOperationException(
                "The generated code does not compile cleanly:\n" + string.Join("\n", run.GeneratedCodeProblems));
        }

        return run;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(PinLedger).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
