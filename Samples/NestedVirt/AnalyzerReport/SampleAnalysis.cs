using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace MmuGuard.Samples.NestedVirt.AnalyzerReport;

/// <summary>
/// Compiles a sample's sources in process against the running framework and <c>MmuGuard.Runtime</c>, runs the
/// bookkeeping generator (the samples use its members), then runs every MmuGuard analyzer over the result, as
/// <c>dotnet build</c> would with the package referenced.
/// </summary>
internal sealed class SampleAnalysis
{
    private SampleAnalysis(
        string name,
        IReadOnlyList<SampleSource> sources,
        IReadOnlyList<ReportedDiagnostic> diagnostics,
        IReadOnlyList<string> compileErrors)
    {
        Name = name;
        Sources = sources;
        Diagnostics = diagnostics;
        CompileErrors = compileErrors;
    }

    public string Name { get; }

    public IReadOnlyList<SampleSource> Sources { get; }

    /// <summary>The MmuGuard diagnostics, ordered by file and line.</summary>
    public IReadOnlyList<ReportedDiagnostic> Diagnostics { get; }

    /// <summary>C# errors that kept the sample from compiling (the analysis is meaningless unless this is empty).</summary>
    public IReadOnlyList<string> CompileErrors { get; }

    /// <summary>The diagnostics the sources' <c>// expect:</c> markers ask for.</summary>
    public IReadOnlyList<(string Id, string Path, int Line)> Expected() =>
        Sources.SelectMany(s => ExpectMarkers.InText(s.Text).Select(m => (m.Id, s.Path, m.Line))).ToList();

    public static async Task<SampleAnalysis> RunAsync(string name, IReadOnlyList<SampleSource> sources, MmuGuardComponents components)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(s =>
            CSharpSyntaxTree.ParseText(SourceText.From(s.Text, Encoding.UTF8), parseOptions, path: s.Path));
        var compilation = CSharpCompilation.Create(
            name,
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = CSharpGeneratorDriver.Create(components.Generators, parseOptions: parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);

        var compileErrors = generated.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();

        var withAnalyzers = generated.WithAnalyzers(
            components.Analyzers,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: null,
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false));
        var analyzerDiagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);

        var reported = analyzerDiagnostics
            .Where(d => d.Id.StartsWith("MMU", StringComparison.Ordinal) && d.Location.IsInSource)
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                return new ReportedDiagnostic(d.Id, span.Path, span.StartLinePosition.Line + 1, d.GetMessage());
            })
            .OrderBy(d => d.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Line)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

        return new SampleAnalysis(name, sources, reported, compileErrors);
    }

    /// <summary>
    /// The running shared framework's assemblies plus the libraries beside this program (<c>MmuGuard.Runtime</c>,
    /// and Roslyn, which this program's own analyzer-report sources use).
    /// </summary>
    private static IEnumerable<MetadataReference> References()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var self = typeof(SampleAnalysis).Assembly.Location;
        var libraries = Directory.EnumerateFiles(frameworkDirectory, "*.dll")
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"));
        foreach (var file in libraries)
        {
            if (file != self && IsManagedAssembly(file))
            {
                yield return MetadataReference.CreateFromFile(file);
            }
        }
    }

    private static bool IsManagedAssembly(string file)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(file);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
