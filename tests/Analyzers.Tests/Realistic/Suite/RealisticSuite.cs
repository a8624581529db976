using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Tests.Infrastructure;
using MmuGuard.Analyzers.Tests.Meta;
using MmuGuard.Tests.Shared;

namespace MmuGuard.Analyzers.Tests.Realistic.Suite;

/// <summary>What one run of every MmuGuard analyzer over the whole realistic suite produced.</summary>
internal sealed record SuiteRun(
    IReadOnlyList<RealisticCase> Cases,
    IReadOnlyList<string> CompileErrors,
    IReadOnlyList<string> AnalyzerExceptions,
    IReadOnlyDictionary<string, IReadOnlyList<Diagnostic>> DiagnosticsByCase);

/// <summary>
/// Loads the annotated KVM API (Realistic/Api) and every port (Realistic/Cases), compiles them as one project (each
/// port declares its own namespace), runs every shipped analyzer once, and hands the diagnostics back per port. One
/// compilation for the whole suite keeps the scoring to one Roslyn run, shared by every test that reads it.
/// </summary>
internal static class RealisticSuite
{
    private static readonly Lazy<Task<SuiteRun>> Run = new(RunAsync);

    /// <summary>The few framework assemblies the ports use; the whole framework would only slow the compilation down.</summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll"
                or "System.Collections.dll" or "System.Threading.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    public static string Root => RepositoryRoot.PathOf("tests", "Analyzers.Tests", "Realistic");

    public static Task<SuiteRun> RunOnceAsync() => Run.Value;

    public static IReadOnlyList<RealisticCase> LoadCases()
    {
        var cases = new List<RealisticCase>();
        foreach (var path in Files("Api"))
        {
            cases.Add(RealisticCase.Load(NameOf("Api", path), CaseKind.Api, File.ReadAllText(path)));
        }

        foreach (var path in Files("Cases"))
        {
            cases.Add(RealisticCase.Load(NameOf("Cases", path), RealisticCase.KindOf(Path.GetFileName(path)), File.ReadAllText(path)));
        }

        return cases;
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs.txt", SearchOption.AllDirectories)
            .OrderBy(path => path, StringComparer.Ordinal);

    private static string NameOf(string folder, string path)
    {
        var relative = Path.GetRelativePath(Path.Combine(Root, folder), path).Replace(Path.DirectorySeparatorChar, '/');
        var name = relative.Substring(0, relative.Length - ".cs.txt".Length);
        return folder == "Api" ? "api/" + name : name;
    }

    /// <summary>The attribute sources plus <paramref name="sources"/> (name, text) as one library.</summary>
    public static CSharpCompilation Compile(IEnumerable<(string Name, string Text)> sources)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = AttributeSources.All.Concat(sources)
            .Select(source => CSharpSyntaxTree.ParseText(source.Text, parseOptions, source.Name));
        return CSharpCompilation.Create(
            "RealisticKvmPorts",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>
    /// Every shipped analyzer (and <paramref name="extra"/> ones) over <paramref name="compilation"/>: the MMU
    /// diagnostics, and every exception or AD0001 raised.
    /// </summary>
    public static async Task<(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Exceptions)> AnalyzeAsync(
        Compilation compilation, params DiagnosticAnalyzer[] extra)
    {
        var exceptions = new List<string>();
        var withAnalyzers = compilation.WithAnalyzers(
            ShippedRules.Analyzers.Concat(extra).ToImmutableArray(),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, analyzer, _) =>
                {
                    lock (exceptions)
                    {
                        exceptions.Add(analyzer.GetType().Name + ": " + exception);
                    }
                },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        exceptions.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()));
        return (diagnostics.Where(d => d.Id.StartsWith("MMU", StringComparison.Ordinal)).ToArray(), exceptions);
    }

    private static async Task<SuiteRun> RunAsync()
    {
        var cases = LoadCases();
        var compilation = Compile(cases.Select(c => (c.Name + ".cs", c.Source)));
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToArray();
        var (diagnostics, analyzerExceptions) = await AnalyzeAsync(compilation);

        var exceptions = analyzerExceptions.ToList();
        var byCase = cases.ToDictionary(c => c.Name, _ => new List<Diagnostic>(), StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics)
        {
            var path = diagnostic.Location.SourceTree?.FilePath ?? string.Empty;
            if (path.EndsWith(".cs", StringComparison.Ordinal) && byCase.TryGetValue(path.Substring(0, path.Length - 3), out var found))
            {
                found.Add(diagnostic);
            }
            else
            {
                // A diagnostic in the attribute sources belongs to no port: the run is broken.
                exceptions.Add("diagnostic outside every port: " + diagnostic);
            }
        }

        return new SuiteRun(
            cases,
            errors,
            exceptions,
            byCase.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<Diagnostic>)pair.Value.OrderBy(d => d.Location.SourceSpan.Start).ToArray(), StringComparer.Ordinal));
    }
}
