using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Physical;

namespace MmuGuard.Benchmarks;

/// <summary>
/// <c>flow-memory [PINS] [CASES]</c>: bytes the ownership flow analysis allocates on two machine-sized bodies, one
/// method of PINS sequential pin/mark/release steps (default 7,500) and one switch of CASES cases that each pin and
/// release (default 3,000). The graphs are built and bound before measuring; the figure is
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> around <see cref="FunctionFlowAnalysis.Run"/> alone
/// (docs/benchmarks.md, "Flow analysis memory").
/// </summary>
public static class FlowMemoryCommand
{
    public const string Name = "flow-memory";

    public static int Run(string[] args)
    {
        var pins = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7_500;
        var cases = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3_000;
        Measure($"{pins:N0} sequential pins", SequentialPins(pins));
        Measure($"{cases:N0}-case switch", PinPerCase(cases));
        return 0;
    }

    private static void Measure(string label, string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Append(typeof(Pfn).Assembly.Location).Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("FlowMemory", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new InvalidOperationException(label + ": " + errors[0]);
        }

        var model = compilation.GetSemanticModel(tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Body");
        var graph = ControlFlowGraph.Create((IMethodBodyOperation)model.GetOperation(method)!);
        var function = model.GetDeclaredSymbol(method);
        var flow = CompilationFlow.Create(compilation) ?? throw new InvalidOperationException("MmuGuard.Runtime's attributes are not referenced.");

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var sink = new FlowEventSink();
        FunctionFlowAnalysis.Run(flow.Contracts, graph, function, sink, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var findings = string.Join(" ", sink.ToImmutable().GroupBy(e => e.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"));
        Console.WriteLine($"{label}: {graph.Blocks.Length:N0} blocks, {allocated / (1024.0 * 1024.0):N1} MB allocated, {seconds:F2} s; events {findings}");
    }

    private const string Prelude = """
        using MmuGuard;
        using MmuGuard.Physical;

        public sealed class HostMm
        {
            [return: Pinned] public Pfn GetUserPages(ulong hva) => new Pfn(hva >> 12);
        }

        public sealed class PageRefs
        {
            public void Unpin([ReleasesPin] Pfn pfn) { }
            public void MarkDirty([RequiresPin] Pfn pfn) { }
        }

        """;

    /// <summary>One method, <paramref name="count"/> times: resolve with a pin, mark it dirty on a branch, release.</summary>
    private static string SequentialPins(int count)
    {
        var body = new StringBuilder(Prelude).Append("public static class Shapes\n{\n    public static void Body(HostMm mm, PageRefs refs, ulong hva, bool dirty)\n    {\n");
        for (var i = 0; i < count; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"        var p{i} = mm.GetUserPages(hva + {i}UL);\n")
                .Append(CultureInfo.InvariantCulture, $"        if (dirty) refs.MarkDirty(p{i});\n")
                .Append(CultureInfo.InvariantCulture, $"        refs.Unpin(p{i});\n");
        }

        return body.Append("    }\n}\n").ToString();
    }

    /// <summary>One switch of <paramref name="count"/> cases, each pinning, marking and releasing its own page.</summary>
    private static string PinPerCase(int count)
    {
        var body = new StringBuilder(Prelude).Append("public static class Shapes\n{\n    public static void Body(HostMm mm, PageRefs refs, ulong hva, int x)\n    {\n        switch (x)\n        {\n");
        for (var i = 0; i < count; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"            case {i}:\n            {{\n                var p{i} = mm.GetUserPages(hva + {i}UL);\n")
                .Append(CultureInfo.InvariantCulture, $"                refs.MarkDirty(p{i});\n                refs.Unpin(p{i});\n                break;\n            }}\n");
        }

        return body.Append("        }\n    }\n}\n").ToString();
    }
}
