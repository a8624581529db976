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
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Benchmarks;

/// <summary>
/// <c>analyzer-split SRC_DIR [ROUNDS] [ONLY,...]</c>: the CPU each MmuGuard analyzer adds, in one process, over the
/// compiler's own diagnostics of the same compilation (<c>compiler</c>: every body bound once, as the no-analyzer build
/// binds them), next to the floors of <c>tests/FloorAnalyzers</c> (<c>blocks</c>: one code-block action that returns
/// at once; <c>bind</c>: every body bound and its graph built), empty actions of other kinds (<c>models</c>,
/// <c>trees</c>, <c>symbols</c>, <c>models+symbols</c>, <c>blocks*6</c>: six code-block analyzers), and the SDK's own
/// analyzers without and with MmuGuard (<c>sdk</c>, <c>sdk+mmuguard</c>). Each configuration works on a new
/// compilation (<c>Clone</c>, or the one <c>WithAnalyzers</c> makes), so nothing is bound yet; the configurations run
/// interleaved round by round (A B C A B C ...). The first round also
/// pays the JIT: it is printed apart and not kept. CPU is the process's user + system time, all threads, so it counts
/// what a build pays. With ONLY (configuration names, comma-separated) only those run.
/// </summary>
public static class AnalyzerSplitCommand
{
    public const string Name = "analyzer-split";

    public static int Run(string[] args)
    {
        if (args.Length < 1 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: " + Name + " SRC_DIR [ROUNDS] [ONLY,...]  (SRC_DIR: the src folder analyzer-corpus wrote)");
            return 2;
        }

        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var trees = FlowProfileCommand.ParseSlice(args[0], int.MaxValue);
        var compilation = FlowProfileCommand.Compile(trees);

        var mmuGuard = typeof(OwnershipFlowAnalyzer).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(type => type.Name, StringComparer.Ordinal)
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .ToImmutableArray();
        string Analyse(ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var withAnalyzers = compilation.WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
            var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            return string.Join(" ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
        }

        var configurations = new List<(string Name, Func<string> Run)>
        {
            // What the no-analyzer build pays here: the compiler's own diagnostics of a new compilation, every body bound.
            ("compiler", () => $"errors={compilation.Clone().GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error)}"),
            ("blocks", () => Analyse(ImmutableArray.Create<DiagnosticAnalyzer>(new FloorSplitAnalyzer(FloorKind.Blocks)))),
            ("bind", () => Analyse(ImmutableArray.Create<DiagnosticAnalyzer>(new FloorSplitAnalyzer(FloorKind.Bind)))),
            ("models", () => Analyse(ImmutableArray.Create<DiagnosticAnalyzer>(new FloorSplitAnalyzer(FloorKind.Models)))),
            ("trees", () => Analyse(ImmutableArray.Create<DiagnosticAnalyzer>(new FloorSplitAnalyzer(FloorKind.Trees)))),
            ("symbols", () => Analyse(ImmutableArray.Create<DiagnosticAnalyzer>(new FloorSplitAnalyzer(FloorKind.Symbols)))),
            ("blocks*6", () => Analyse(Enumerable.Range(0, 6).Select(_ => (DiagnosticAnalyzer)new FloorSplitAnalyzer(FloorKind.Blocks)).ToImmutableArray())),
            ("models+symbols", () => Analyse(ImmutableArray.Create<DiagnosticAnalyzer>(new FloorSplitAnalyzer(FloorKind.Models), new FloorSplitAnalyzer(FloorKind.Symbols)))),
            ("mmuguard", () => Analyse(mmuGuard)),
        };
        // What a new project builds with: the SDK's own analyzers at their default severities, without and with MmuGuard.
        var sdk = SdkAnalyzers();
        configurations.Add(("sdk", () => Analyse(sdk)));
        configurations.Add(("sdk+mmuguard", () => Analyse(sdk.AddRange(mmuGuard))));
        configurations.AddRange(mmuGuard.Select(analyzer => (analyzer.GetType().Name, (Func<string>)(() => Analyse(ImmutableArray.Create(analyzer))))));
        if (args.Length > 2)
        {
            var only = args[2].Split(',');
            configurations = configurations.Where(configuration => only.Contains(configuration.Name)).ToList();
            if (configurations.Count == 0)
            {
                Console.Error.WriteLine($"no configuration named '{args[2]}'");
                return 2;
            }
        }

        Console.WriteLine($"{trees.Length} files, {trees.Sum(tree => tree.GetText().Lines.Count)} lines; {rounds} rounds after one warm-up");
        var cpu = configurations.ToDictionary(configuration => configuration.Name, _ => new List<double>());
        var first = new Dictionary<string, double>();
        var firstJit = new Dictionary<string, (double Seconds, long Methods)>();
        var findings = new Dictionary<string, string>();
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var (name, run) in configurations)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var before = Process.GetCurrentProcess().TotalProcessorTime;
                var jitBefore = (System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
                findings[name] = run();
                var spent = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
                if (round > 0)
                {
                    cpu[name].Add(spent);
                }
                else
                {
                    first[name] = spent;
                    firstJit[name] = (
                        (System.Runtime.JitInfo.GetCompilationTime() - jitBefore.Item1).TotalSeconds,
                        System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore.Item2);
                }

            }
        }

        var floor = cpu.TryGetValue("compiler", out var compilerTimes) ? GeneratorTimingCommand.Median(compilerTimes) : double.NaN;
        foreach (var (name, _) in configurations)
        {
            var median = GeneratorTimingCommand.Median(cpu[name]);
            Console.WriteLine(
                $"{name,-38} median CPU {median,6:F3} s (min {cpu[name].Min():F3}, max {cpu[name].Max():F3}; first round {first[name]:F3}, JIT {firstJit[name].Seconds:F3} s for {firstJit[name].Methods} methods)  over compiler {median - floor,6:F3} s  {findings[name]}");
        }

        return 0;
    }

    /// <summary>The C# analyzers the running SDK ships (Microsoft.CodeAnalysis.NetAnalyzers), as a new project loads them.</summary>
    private static ImmutableArray<DiagnosticAnalyzer> SdkAnalyzers()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var sdk = Directory.GetDirectories(Path.Combine(root, "sdk")).OrderBy(path => path, StringComparer.Ordinal).Last();
        var folder = Path.Combine(sdk, "Sdks", "Microsoft.NET.Sdk", "analyzers");
        var loader = new DefaultLoader();
        return new[] { "Microsoft.CodeAnalysis.NetAnalyzers.dll", "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll" }
            .SelectMany(name => new AnalyzerFileReference(Path.Combine(folder, name), loader).GetAnalyzers(LanguageNames.CSharp))
            .ToImmutableArray();
    }

    private sealed class DefaultLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) =>
            System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }

    /// <summary>
    /// The floors of <c>tests/FloorAnalyzers</c>: a code-block action that returns at once (any analyzer that looks at
    /// bodies), or one that binds every body and builds its control-flow graph (any operation-level analysis of all bodies).
    /// </summary>
#pragma warning disable RS1001, RS1036, RS1041, RS2008 // a benchmark probe made by this command only, never shipped; it reports nothing
    private sealed class FloorSplitAnalyzer(FloorKind kind) : DiagnosticAnalyzer
#pragma warning restore RS1001, RS1036, RS1041, RS2008
    {
#pragma warning disable RS2008
        private static readonly DiagnosticDescriptor Never = new(
            "SPLIT001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);
#pragma warning restore RS2008

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            switch (kind)
            {
                case FloorKind.Blocks:
                    context.RegisterCodeBlockAction(static _ => { });
                    return;
                case FloorKind.Models:
                    context.RegisterSemanticModelAction(static _ => { });
                    return;
                case FloorKind.Trees:
                    context.RegisterSyntaxTreeAction(static _ => { });
                    return;
                case FloorKind.Symbols:
                    context.RegisterSymbolAction(static _ => { }, SymbolKind.Method, SymbolKind.Field, SymbolKind.Property);
                    return;
            }

            context.RegisterCodeBlockAction(MmuGuard.FloorAnalyzers.FloorBinding.BindAndBuildGraph);
        }
    }

    private enum FloorKind
    {
        Blocks,
        Bind,
        Models,
        Trees,
        Symbols,
    }
}
