using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Tests.CodeFixes.Harness;
using MmuGuard.Analyzers.Tests.Infrastructure;
using MmuGuard.Analyzers.Tests.Meta;

namespace MmuGuard.Analyzers.Tests.Inference.Adoption;

/// <summary>
/// A project in a workspace, annotated by the inference fixes as <c>dotnet format analyzers --diagnostics MMU0016
/// MMU0023 MMU0024 MMU0025 MMU0026</c> does: every shipped analyzer runs, each fixer's Fix All runs over the
/// solution, and the whole is repeated until nothing is suggested (a helper marked in one run lets its callers
/// prove their own contract in the next).
/// </summary>
internal sealed class InferenceFixpoint
{
    public static readonly ImmutableArray<string> SuggestionIds = ImmutableArray.Create(
        DiagnosticIds.UnannotatedPageReturn,
        DiagnosticIds.InferredReleasesPin,
        DiagnosticIds.InferredTakesPinOwnership,
        DiagnosticIds.InferredRequiresPin,
        DiagnosticIds.InferredNotifierCovered);

    private static readonly CodeFixProvider[] Fixers = { new UnannotatedPageReturnFixer(), new InferredContractFixer() };

    private InferenceFixpoint(Project project)
    {
        Project = project;
    }

    public Project Project { get; private set; }

    /// <summary>Fix-All passes that changed something before the fixpoint.</summary>
    public int Passes { get; private set; }

    /// <summary>A project of <paramref name="sources"/> (path, text), with <paramref name="additionalFiles"/> beside them.</summary>
    public static InferenceFixpoint Create(IEnumerable<(string Path, string Text)> sources, IEnumerable<(string Path, string Text)>? additionalFiles = null)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Adoption",
            "Adoption",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: FrameworkReferences.All));
        foreach (var (path, text) in sources)
        {
            project = project.AddDocument(path, SourceText.From(text), filePath: path).Project;
        }

        foreach (var (path, text) in additionalFiles ?? Enumerable.Empty<(string, string)>())
        {
            project = project.AddAdditionalDocument(path, SourceText.From(text), filePath: path).Project;
        }

        return new InferenceFixpoint(project);
    }

    /// <summary>Every MMU diagnostic (and AD0001) of every shipped analyzer on the project as it is now.</summary>
    public async Task<ImmutableArray<Diagnostic>> AnalyzeAsync()
    {
        var compilation = (await Project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new InvalidOperationException("The project does not compile:\n" + string.Join("\n", errors.Take(20)));
        }

        var options = new AnalyzerOptions(Project.AdditionalDocuments.Select(document => (AdditionalText)new DocumentText(document)).ToImmutableArray());
        var diagnostics = await compilation.WithAnalyzers(ShippedRules.Analyzers.ToImmutableArray(), options).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Id.StartsWith("MMU", StringComparison.Ordinal) || d.Id == "AD0001").ToImmutableArray();
    }

    /// <summary>Runs the suggestion fixes until none is reported or a pass changes nothing; at most <paramref name="maxPasses"/>.</summary>
    public async Task RunAsync(int maxPasses = 10)
    {
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var suggestions = (await AnalyzeAsync()).Where(d => SuggestionIds.Contains(d.Id)).ToImmutableArray();
            if (suggestions.IsEmpty || !await FixAllAsync(suggestions))
            {
                return;
            }

            Passes++;
        }
    }

    /// <summary>One Fix All per fixer over the solution, as one <c>dotnet format</c> run; whether anything changed.</summary>
    public async Task<bool> FixAllAsync(ImmutableArray<Diagnostic> suggestions)
    {
        var changed = false;
        foreach (var fixer in Fixers)
        {
            var ids = fixer.FixableDiagnosticIds.Where(id => suggestions.Any(d => d.Id == id)).ToArray();
            if (ids.Length == 0)
            {
                continue;
            }

            var mine = suggestions.Where(d => ids.Contains(d.Id)).ToImmutableArray();
            var context = new FixAllContext(
                Project, fixer, FixAllScope.Solution, ((ContractCodeFixProvider)fixer).EquivalenceKey, ids, new ReportedDiagnostics(mine), CancellationToken.None);
            if (await fixer.GetFixAllProvider()!.GetFixAsync(context) is not { } action)
            {
                continue;
            }

            var operations = await action.GetOperationsAsync(CancellationToken.None);
            var solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
            changed |= solution.GetChanges(Project.Solution).GetProjectChanges().Any(change => change.GetChangedDocuments().Any());
            Project = solution.GetProject(Project.Id)!;

            // The next fixer's diagnostics point into the text before this fix: analyse again.
            suggestions = (await AnalyzeAsync()).Where(d => SuggestionIds.Contains(d.Id)).ToImmutableArray();
        }

        return changed;
    }

    /// <summary>An additional document as analyzers see it.</summary>
    private sealed class DocumentText : AdditionalText
    {
        private readonly TextDocument _document;

        public DocumentText(TextDocument document)
        {
            _document = document;
        }

        public override string Path => _document.FilePath ?? _document.Name;

        public override SourceText? GetText(CancellationToken cancellationToken = default) =>
            _document.GetTextAsync(cancellationToken).GetAwaiter().GetResult();
    }
}
