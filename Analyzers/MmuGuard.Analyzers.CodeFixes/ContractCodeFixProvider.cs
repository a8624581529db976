using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>
/// The shape every MmuGuard fixer shares: resolve the document's contracts once, find the node each diagnostic sits
/// on, and let the fixer decide from the rule's facts (<see cref="Diagnostic.Properties"/>) whether it can offer a
/// fix there. Each fixer offers one kind of action, keyed by <see cref="EquivalenceKey"/>; Fix All batches the fixes
/// of a scope (see <see cref="SingleActionFixAllProvider"/>).
/// </summary>
public abstract class ContractCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of every action this fixer registers: the fixer's type name.</summary>
    public string EquivalenceKey => GetType().Name;

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => SingleActionFixAllProvider.Instance;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var lookup = await ContractLookup.CreateAsync(context.Document, context.CancellationToken).ConfigureAwait(false);
        if (root is null || lookup is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // A host may hand any reported diagnostic to any fixer (dotnet format passes the first one it found).
            if (!FixableDiagnosticIds.Contains(diagnostic.Id))
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (CreateFix(context.Document, node, diagnostic, lookup, context.CancellationToken) is { } action)
            {
                context.RegisterCodeFix(action, diagnostic);
            }
        }
    }

    /// <summary>The fix for the diagnostic on <paramref name="node"/>, or <see langword="null"/> when none applies there.</summary>
    private protected abstract CodeAction? CreateFix(
        Document document, SyntaxNode node, Diagnostic diagnostic, ContractLookup lookup, CancellationToken cancellationToken);
}
