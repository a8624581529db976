using System;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MmuGuard.Generators;
using MmuGuard.Mapping;

namespace MmuGuard.Benchmarks;

/// <summary>
/// The bookkeeping generator over a synthetic sim of 2,000 annotated owners: a cold first run, and the run after an
/// edit inside one owner's method body (what an IDE pays per keystroke). Each operation gets a fresh compilation, so
/// no symbol binding is reused from a previous operation.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    public const int OwnerCount = 2_000;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _corpus = null!;
    private GeneratorDriver _warmDriver = null!;
    private GeneratorDriver _warmFloorDriver = null!;
    private SyntaxTree _editedTree = null!;
    private SyntaxTree _editedReplacement = null!;

    [GlobalSetup]
    public void Setup()
    {
        var trees = Enumerable.Range(0, OwnerCount)
            .Select(i => CSharpSyntaxTree.ParseText(OwnerSource(i), ParseOptions, path: $"Owner{i}.cs"))
            .ToList();
        _corpus = CSharpCompilation.Create(
            "SyntheticSim",
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _warmDriver = CreateDriver().RunGenerators(_corpus);
        _warmFloorDriver = CreateFloorDriver().RunGenerators(_corpus);
        var generated = _warmDriver.GetRunResult().GeneratedTrees.Length;
        if (generated != OwnerCount)
        {
            throw new InvalidOperationException($"The corpus generated {generated} files, expected {OwnerCount}.");
        }

        _editedTree = trees[OwnerCount / 2];
        _editedReplacement = CSharpSyntaxTree.ParseText(
            _editedTree.ToString().Replace("return exits + 1;", "return exits + 2;"), ParseOptions, _editedTree.FilePath);
    }

    [Benchmark(Description = "first run, 2,000 owners")]
    public int FirstRun() => CreateDriver().RunGenerators(_corpus.Clone()).GetRunResult().GeneratedTrees.Length;

    [Benchmark(Description = "method-body edit in one owner, 2,000 owners")]
    public int IncrementalEdit() =>
        _warmDriver.RunGenerators(_corpus.ReplaceSyntaxTree(_editedTree, _editedReplacement)).GetRunResult().GeneratedTrees.Length;

    [Benchmark(Description = "floor: attribute lookup alone, first run")]
    public int FloorFirstRun() => CreateFloorDriver().RunGenerators(_corpus.Clone()).GetRunResult().Results.Length;

    [Benchmark(Description = "floor: attribute lookup alone, method-body edit")]
    public int FloorIncrementalEdit() =>
        _warmFloorDriver.RunGenerators(_corpus.ReplaceSyntaxTree(_editedTree, _editedReplacement)).GetRunResult().Results.Length;

    private static GeneratorDriver CreateFloorDriver() =>
        CSharpGeneratorDriver.Create(new[] { new GeneratorFloorGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);

    private static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(new[] { new MappingBookkeepingGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);

    /// <summary>One owner: three out-of-band pages, one PFN cache, and ordinary code around them.</summary>
    private static string OwnerSource(int index)
    {
        var source = new StringBuilder();
        source.Append("using MmuGuard;\nusing MmuGuard.Physical;\n\nnamespace Sim.Vcpus")
            .Append(index % 20)
            .Append(";\n\n");
        if (index % 2 == 0)
        {
            source.Append("[MappingBookkeeping(Disposable = true)]\n");
        }

        source.Append("public sealed partial class Vmcs02State").Append(index).Append('\n')
            .Append("{\n")
            .Append("    [OutOfBandMapping] private Pfn _apicAccessPage;\n")
            .Append("    [OutOfBandMapping] private Pfn _virtualApicPage;\n")
            .Append("    [OutOfBandMapping] private Pfn _postedInterruptDescriptor;\n")
            .Append("    [NotifierCoveredMapping] private Pfn _stealTime;\n")
            .Append("    private int _exits;\n\n")
            .Append("    public int CountExit(int exits)\n    {\n        _exits = exits;\n        return exits + 1;\n    }\n")
            .Append("}\n");
        return source.ToString();
    }

    private static MetadataReference[] References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(PinLedger).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
}
