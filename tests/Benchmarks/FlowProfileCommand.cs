using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Physical;

namespace MmuGuard.Benchmarks;

/// <summary>
/// <c>flow-profile SRC_DIR [FILES] [ROUNDS]</c>: compiles the first FILES files of the analyzer corpus in-process and
/// splits the ownership flow analysis' cost into Roslyn's control-flow graph construction, the contract pre-check and
/// the fixpoint, next to the end-to-end analyzer time the driver reports (docs/benchmarks.md, "## Analyzers").
/// </summary>
public static class FlowProfileCommand
{
    public const string Name = "flow-profile";

    public static int Run(string[] args)
    {
        if (args.Length < 1 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: " + Name + " SRC_DIR [FILES] [ROUNDS]  (SRC_DIR: the src folder analyzer-corpus wrote)");
            return 2;
        }

        var fileCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;

        var trees = ParseSlice(args[0], fileCount);
        var lines = trees.Sum(tree => tree.GetText().Lines.Count);
        var errors = Compile(trees).GetDiagnostics().Count(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error);
        Console.WriteLine($"{lines} lines in {trees.Length} files, {errors} compile errors");

        var best = new double[5] { double.MaxValue, double.MaxValue, double.MaxValue, double.MaxValue, double.MaxValue };
        for (var round = 1; round <= rounds; round++)
        {
            var endToEnd = EndToEnd(Compile(trees), new OwnershipFlowAnalyzer());
            var preCheckOnly = EndToEnd(Compile(trees), new FlowStageAnalyzer(stages: 1));
            var graphOnly = EndToEnd(Compile(trees), new FlowStageAnalyzer(stages: 2));
            var fixpointOnly = EndToEnd(Compile(trees), new FlowStageAnalyzer(stages: 3));
            var split = Split(Compile(trees));
            Console.WriteLine(
                $"round {round}: analyzer {endToEnd.Seconds:F3} s ({endToEnd.Findings}); in the driver: pre-check alone " +
                $"{preCheckOnly.Seconds:F3} s, pre-check + graphs {graphOnly.Seconds:F3} s, + fixpoint {fixpointOnly.Seconds:F3} s | bind {split.Bind:F3} s, " +
                $"{split.Bodies} bodies ({split.Mentioning} mention contracts): cfg {split.Graphs:F3} s, " +
                $"pre-check {split.PreCheck:F3} s, fixpoint {split.Fixpoint:F3} s, {split.Events} events");
            best[0] = Math.Min(best[0], endToEnd.Seconds);
            best[1] = Math.Min(best[1], preCheckOnly.Seconds);
            best[2] = Math.Min(best[2], graphOnly.Seconds);
            best[3] = Math.Min(best[3], split.Fixpoint);
            best[4] = Math.Min(best[4], fixpointOnly.Seconds);
        }

        // The machine is shared: the least of each figure over the rounds is the one least disturbed by other work.
        Console.WriteLine(
            $"best of {rounds}: analyzer {best[0]:F3} s; in the driver: pre-check {best[1]:F3} s, pre-check + graphs {best[2]:F3} s, " +
            $"+ fixpoint {best[4]:F3} s (so graphs ~{best[2] - best[1]:F3} s, fixpoint ~{best[4] - best[2]:F3} s, " +
            $"judging and reporting ~{best[0] - best[4]:F3} s); fixpoint in a plain loop {best[3]:F3} s");

        return 0;
    }

    /// <summary>The corpus trees against the net10.0 reference assemblies and MmuGuard.Runtime (shared with <see cref="IdeLatencyCommand"/>).</summary>
    /// <summary>The corpus in <paramref name="srcDir"/>: its shared API (<c>SimApi.cs</c>) and the first <paramref name="files"/> parts in name order.</summary>
    internal static ImmutableArray<SyntaxTree> ParseSlice(string srcDir, int files)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        return Directory.GetFiles(srcDir, "Part*.cs").OrderBy(path => path, StringComparer.Ordinal).Take(files)
            .Append(Path.Combine(srcDir, "SimApi.cs"))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path))
            .ToImmutableArray();
    }

    internal static CSharpCompilation Compile(ImmutableArray<SyntaxTree> trees)
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Append(typeof(Pfn).Assembly.Location).Select(path => MetadataReference.CreateFromFile(path));
        return CSharpCompilation.Create(
            "FlowProfile",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>What the compiler's ReportAnalyzer measures: the analyzer's callbacks, graph construction included.</summary>
    private static (double Seconds, string Findings) EndToEnd(CSharpCompilation compilation, DiagnosticAnalyzer analyzer)
    {
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(analyzer),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: null,
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: true));
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
        var findings = string.Join(" ", diagnostics.GroupBy(diagnostic => diagnostic.Id).OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => $"{group.Key}={group.Count()}"));
        return (telemetry.ExecutionTime.TotalSeconds, findings);
    }

    /// <summary>The same bodies, each stage timed on its own (one thread; binding done before any stage is timed).</summary>
    private static (double Bind, int Bodies, int Mentioning, double Graphs, double PreCheck, double Fixpoint, int Events) Split(CSharpCompilation compilation)
    {
        var clock = Stopwatch.StartNew();
        var bodies = new List<(IOperation Body, IMethodSymbol? Function)>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
            {
                if (model.GetOperation(declaration) is { } body)
                {
                    bodies.Add((body, model.GetDeclaredSymbol(declaration)));
                }
            }
        }

        var bind = clock.Elapsed.TotalSeconds;
        var flow = CompilationFlow.Create(compilation) ?? throw new InvalidOperationException("The corpus does not reference MmuGuard.Runtime's attributes.");

        clock.Restart();
        var mentioning = new List<int>();
        for (var i = 0; i < bodies.Count; i++)
        {
            if (flow.MentionsContracts(bodies[i].Body, bodies[i].Function))
            {
                mentioning.Add(i);
            }
        }

        var preCheck = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var graphs = new Dictionary<int, ControlFlowGraph>();
        foreach (var i in mentioning)
        {
            graphs[i] = Graph(bodies[i].Body);
        }

        var graphSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var events = 0;
        foreach (var i in mentioning)
        {
            var sink = new FlowEventSink();
            FunctionFlowAnalysis.Run(flow.Contracts, graphs[i], bodies[i].Function, sink, CancellationToken.None);
            events += sink.ToImmutable().Length;
        }

        return (bind, bodies.Count, mentioning.Count, graphSeconds, preCheck, clock.Elapsed.TotalSeconds, events);
    }

    private static ControlFlowGraph Graph(IOperation body) => body switch
    {
        Microsoft.CodeAnalysis.Operations.IMethodBodyOperation method => ControlFlowGraph.Create(method),
        Microsoft.CodeAnalysis.Operations.IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor),
        _ => throw new InvalidOperationException("Not a body: " + body.Kind),
    };
}
