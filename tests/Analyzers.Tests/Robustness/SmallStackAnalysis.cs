using System;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Tests.Infrastructure;
using MmuGuard.Analyzers.Tests.Meta;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Robustness;

/// <summary>
/// Runs every shipped analyzer over a source on a thread with a 1 MB stack, the default of the Windows threads IDEs
/// and csc run analyzers on. Parsing and binding happen first on a big-stack thread: Roslyn's own parser and binder
/// need more than 1 MB for the 100,000-term expressions these tests feed, and it is the analyzers under test here.
/// </summary>
internal static class SmallStackAnalysis
{
    public const int OneMegabyte = 1 << 20;

    /// <summary><c>ROBUSTNESS_SCALE</c> multiplies every generated size (a longer local hunt); 1 by default.</summary>
    public static int Scale { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("ROBUSTNESS_SCALE"), out var scale) && scale > 0 ? scale : 1;

    /// <summary>
    /// The analyzer diagnostics of <paramref name="source"/> (compiled beside the sim prelude), analysed on a 1 MB
    /// stack; an analyzer exception (AD0001) or a compile error fails the test.
    /// </summary>
    public static ImmutableArray<Diagnostic> DiagnosticsOf(string source)
    {
        var compilation = OnThread(256 * OneMegabyte, () => Bound(source));
        var diagnostics = OnThread(OneMegabyte, () => Analyze(compilation));
        Assert.Empty(diagnostics.Where(diagnostic => diagnostic.Id == "AD0001").Select(diagnostic => diagnostic.GetMessage()));
        return diagnostics;
    }

    /// <summary>The IDs reported, in order, one entry per diagnostic.</summary>
    public static string[] IdsOf(string source) =>
        DiagnosticsOf(source).Select(diagnostic => diagnostic.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray();

    /// <summary>Runs <paramref name="work"/> on a new thread with <paramref name="stackBytes"/> of stack; rethrows what it throws.</summary>
    public static T OnThread<T>(int stackBytes, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception exception)
                {
                    failure = ExceptionDispatchInfo.Capture(exception);
                }
            },
            stackBytes);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static CSharpCompilation Bound(string source)
    {
        var trees = AttributeSources.All.Select(attribute => CSharpSyntaxTree.ParseText(attribute.Text, path: attribute.Name))
            .Append(CSharpSyntaxTree.ParseText(SimPrelude.Source, path: "SimPrelude.cs"))
            .Append(CSharpSyntaxTree.ParseText(source, path: "Shape.cs"));
        var compilation = CSharpCompilation.Create(
            "SmallStack",
            trees,
            NoAnalyzerExceptionTests.References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).Take(3).ToArray();
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(error => error.ToString())));
        return compilation;
    }

    private static ImmutableArray<Diagnostic> Analyze(CSharpCompilation compilation)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        return compilation.WithAnalyzers(ShippedRules.Analyzers.ToImmutableArray(), options)
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
    }
}
