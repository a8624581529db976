using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MmuGuard.Analyzers.Bodies;

namespace MmuGuard.Benchmarks;

/// <summary>
/// The syntax pre-filter's token scan (docs/design/bodies.md) over every body of the sparse 80-file analyzer corpus,
/// the scan each body-level analyzer pays for every body before deciding not to bind it: the contracts' filter (flow
/// host, MMU0016, inference) and MMU0022's sink filter, each scanning every body's executable code without its
/// per-code-block memo.
/// </summary>
[MemoryDiagnoser]
public class BodyScanBenchmarks
{
    private BodyFilter _contracts = null!;
    private BodyFilter _sinks = null!;
    private ImmutableArray<SyntaxNode> _executable;

    [GlobalSetup]
    public void Setup()
    {
        var directory = Path.Combine(Path.GetTempPath(), "mmuguard-body-scan-" + Environment.ProcessId);
        AnalyzerCorpus.Write(directory, files: 80, density: 5);
        try
        {
            var trees = Directory.GetFiles(directory, "*.cs").OrderBy(path => path, StringComparer.Ordinal)
                .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest), path))
                .ToImmutableArray();
            var compilation = FlowProfileCommand.Compile(trees);
            var bodies = CompilationBodies.Of(compilation);
            _contracts = bodies.ContractFilter(Array.Empty<ISymbol>(), default);
            _sinks = bodies.SinkFilter(default);
            _executable = trees
                .SelectMany(tree => tree.GetRoot().DescendantNodes())
                .Where(node => node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax)
                .SelectMany(node => ExecutableCode.Of(node))
                .ToImmutableArray();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The contracts' filter over every body: how many it admits (about one in twenty on this corpus).</summary>
    [Benchmark]
    public int ContractFilter() => Scan(_contracts);

    /// <summary>MMU0022's sink filter over every body.</summary>
    [Benchmark]
    public int SinkFilter() => Scan(_sinks);

    private int Scan(BodyFilter filter)
    {
        var admitted = 0;
        foreach (var node in _executable)
        {
            if (filter.Reaches(node))
            {
                admitted++;
            }
        }

        return admitted;
    }
}
