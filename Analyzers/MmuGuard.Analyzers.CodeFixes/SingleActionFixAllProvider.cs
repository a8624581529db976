using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>
/// Fix All for a fixer that offers one kind of action: Roslyn's batch fixer, asked for that action whatever
/// equivalence key the host passed. <c>dotnet format analyzers --diagnostics A B</c> takes the key from the first
/// diagnostic of the run, which may be another rule's (then no action is registered and the key is null); the
/// batch fixer, keeping only actions whose key matches, would find none and the host would skip the ID with
/// "didn't return a Fix All action".
/// </summary>
internal sealed class SingleActionFixAllProvider : FixAllProvider
{
    public static readonly SingleActionFixAllProvider Instance = new();

    private SingleActionFixAllProvider()
    {
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
        WellKnownFixAllProviders.BatchFixer.GetSupportedFixAllScopes();

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        if (fixAllContext.CodeFixProvider is not ContractCodeFixProvider fixer
            || fixAllContext.CodeActionEquivalenceKey == fixer.EquivalenceKey)
        {
            return WellKnownFixAllProviders.BatchFixer.GetFixAsync(fixAllContext);
        }

        var diagnostics = new ContextDiagnostics(fixAllContext);
        var keyed = fixAllContext.Document is { } document
            ? new FixAllContext(
                document, fixer, fixAllContext.Scope, fixer.EquivalenceKey, fixAllContext.DiagnosticIds, diagnostics, fixAllContext.CancellationToken)
            : new FixAllContext(
                fixAllContext.Project, fixer, fixAllContext.Scope, fixer.EquivalenceKey, fixAllContext.DiagnosticIds, diagnostics, fixAllContext.CancellationToken);
        return WellKnownFixAllProviders.BatchFixer.GetFixAsync(keyed);
    }

    /// <summary>The diagnostics of the host's context, handed on unchanged.</summary>
    private sealed class ContextDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly FixAllContext _context;

        public ContextDiagnostics(FixAllContext context)
        {
            _context = context;
        }

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            await _context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await _context.GetProjectDiagnosticsAsync(project).ConfigureAwait(false);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await _context.GetAllDiagnosticsAsync(project).ConfigureAwait(false);
    }
}
