using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;

namespace MmuGuard.Analyzers.Tests.CodeFixes.Harness;

/// <summary>
/// One source before and after a code fix, as a host applies it: the analyzers' MMU diagnostics on each, the
/// compiler's errors on the fixed one, and both compiled so a test can run them and compare what they do.
/// </summary>
internal sealed class FixRun
{
    private const string FileName = "Scenario.cs";

    private Assembly? _before;
    private Assembly? _after;

    private FixRun(string before, string after, ImmutableArray<Diagnostic> beforeDiagnostics, ImmutableArray<Diagnostic> afterDiagnostics, ImmutableArray<Diagnostic> errors)
    {
        Before = before;
        After = after;
        BeforeDiagnostics = beforeDiagnostics;
        AfterDiagnostics = afterDiagnostics;
        Errors = errors;
    }

    public string Before { get; }

    public string After { get; }

    /// <summary>Every MMU diagnostic on the original source.</summary>
    public ImmutableArray<Diagnostic> BeforeDiagnostics { get; }

    /// <summary>Every MMU diagnostic on the fixed source.</summary>
    public ImmutableArray<Diagnostic> AfterDiagnostics { get; }

    /// <summary>Compiler errors in the fixed source.</summary>
    public ImmutableArray<Diagnostic> Errors { get; }

    /// <summary>
    /// How many mistakes of <paramref name="id"/> are reported: one leak reported at each exit it takes is one mistake,
    /// named by the declaration its additional location points at.
    /// </summary>
    public int Count(string id, bool after = true) =>
        (after ? AfterDiagnostics : BeforeDiagnostics)
            .Where(diagnostic => diagnostic.Id == id)
            .Select(diagnostic => diagnostic.AdditionalLocations.Count > 0 ? diagnostic.AdditionalLocations[0].SourceSpan : diagnostic.Location.SourceSpan)
            .Distinct()
            .Count();

    /// <summary>Applies <paramref name="fixer"/>'s first action to the first <paramref name="id"/> diagnostic.</summary>
    public static Task<FixRun> FirstFixAsync(string source, CodeFixProvider fixer, string id) =>
        RunAsync(source, async (document, diagnostics) =>
        {
            if (diagnostics.FirstOrDefault(diagnostic => diagnostic.Id == id) is not { } target)
            {
                return document.Project.Solution;
            }

            var actions = new List<CodeAction>();
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, target, (action, _) => actions.Add(action), CancellationToken.None));
            return actions.Count == 0 ? document.Project.Solution : await ChangedSolutionAsync(actions[0]);
        });

    /// <summary>
    /// Fixes <paramref name="ids"/> one after another as <c>dotnet format analyzers --diagnostics</c> does: for each ID,
    /// analyse again, take the equivalence key from whatever the first reported diagnostic (of any of the IDs)
    /// registers, and run the fixer's Fix All over the solution.
    /// </summary>
    public static async Task<(FixRun Run, ImmutableArray<string> Skipped)> FormatAsync(string source, IReadOnlyList<CodeFixProvider> fixers, params string[] ids)
    {
        var skipped = ImmutableArray.CreateBuilder<string>();
        var run = await RunAsync(source, async (document, _) =>
        {
            var solution = document.Project.Solution;
            foreach (var id in ids)
            {
                var current = solution.GetDocument(document.Id)!;
                var reported = (await AnalyzeAsync(current)).Where(diagnostic => ids.Contains(diagnostic.Id)).ToImmutableArray();
                if (!reported.Any(diagnostic => diagnostic.Id == id))
                {
                    continue;
                }

                var fixer = fixers.First(candidate => candidate.FixableDiagnosticIds.Contains(id));
                string? key = null;
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(current, reported[0], (action, _) => key ??= action.EquivalenceKey, CancellationToken.None));
                var context = new FixAllContext(current, fixer, FixAllScope.Solution, key!, new[] { id }, new ReportedDiagnostics(reported), CancellationToken.None);
                var fixAll = await fixer.GetFixAllProvider()!.GetFixAsync(context);
                if (fixAll is null)
                {
                    skipped.Add(id);
                    continue;
                }

                solution = await ChangedSolutionAsync(fixAll);
            }

            return solution;
        });
        return (run, skipped.ToImmutable());
    }

    /// <summary>Runs <c>Scenario.Run</c> of the original or the fixed source on a fresh <c>Mm</c> and reports what it did.</summary>
    public Outcome Execute(bool after, bool c1, bool c2, bool invalidateDuringResolve = false, bool refusePins = false)
    {
        var assembly = after ? _after ??= Load(After) : _before ??= Load(Before);
        var world = assembly.GetType("Mm")!;
        var mm = Activator.CreateInstance(world)!;
        world.GetField("InvalidateDuringResolve")!.SetValue(mm, invalidateDuringResolve);
        world.GetField("RefusePins")!.SetValue(mm, refusePins);
        assembly.GetType("Scenario")!.GetMethod("Run")!.Invoke(null, new object[] { mm, c1, c2, 0x1000UL });
        return new Outcome(
            (int)world.GetField("Pins")!.GetValue(mm)!,
            (int)world.GetField("Installs")!.GetValue(mm)!,
            string.Join(",", (List<string>)world.GetField("Trace")!.GetValue(mm)!));
    }

    private static async Task<FixRun> RunAsync(string source, Func<Document, ImmutableArray<Diagnostic>, Task<Solution>> fix)
    {
        var document = CreateDocument(source);
        var before = await AnalyzeAsync(document);
        var solution = await fix(document, before);
        var fixedDocument = solution.GetDocument(document.Id)!;
        var after = await AnalyzeAsync(fixedDocument);
        var compilation = (await fixedDocument.Project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return new FixRun(source, (await fixedDocument.GetTextAsync()).ToString(), before, after, errors);
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Scenario",
            "Scenario",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: FrameworkReferences.All));
        foreach (var (name, text) in AttributeSources.All)
        {
            project = project.AddDocument(name, SourceText.From(text), filePath: name).Project;
        }

        return project.AddDocument(FileName, SourceText.From(source), filePath: FileName);
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new OwnershipFlowAnalyzer(), new UnannotatedPageReturnAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        return diagnostics
            .Where(diagnostic => diagnostic.Id.StartsWith("MMU", StringComparison.Ordinal) && diagnostic.Location.SourceTree?.FilePath == FileName)
            .OrderBy(diagnostic => diagnostic.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    private static async Task<Solution> ChangedSolutionAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }

    private static Assembly Load(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Scenario" + Guid.NewGuid().ToString("N"),
            AttributeSources.All.Select(file => CSharpSyntaxTree.ParseText(file.Text)).Append(CSharpSyntaxTree.ParseText(source)),
            FrameworkReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n" + source);
        }

        image.Position = 0;
        return new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true).LoadFromStream(image);
    }

    /// <summary>What one run of <c>Scenario.Run</c> did: pins still held, stage-2 installs, and the steps it logged.</summary>
    internal sealed record Outcome(int Pins, int Installs, string Trace);
}
