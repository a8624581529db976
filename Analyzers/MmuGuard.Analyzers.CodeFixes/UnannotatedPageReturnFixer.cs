using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>MMU0016's fix: adds the <c>[return: Pinned]</c> or <c>[return: Borrowed]</c> the helper's body already implies.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnannotatedPageReturnFixer))]
[Shared]
public sealed class UnannotatedPageReturnFixer : ContractCodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnannotatedPageReturn);

    private protected override CodeAction? CreateFix(
        Document document, SyntaxNode node, Diagnostic diagnostic, ContractLookup lookup, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(UnannotatedPageReturnAnalyzer.AttributeProperty, out var attribute)
            || attribute is null
            || node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
        {
            return null;
        }

        return CodeAction.Create(
            "Mark the return value [return: " + attribute + "]",
            token => AddReturnAttributeAsync(document, method, attribute, token),
            // One key for both attributes, so Fix All annotates every helper with the attribute its body implies.
            EquivalenceKey);
    }

    private static async Task<Document> AddReturnAttributeAsync(
        Document document, MethodDeclarationSyntax method, string attribute, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Written fully qualified and simplified afterwards, so it reads [return: Pinned] under `using MmuGuard;`
        // and stays correct without it.
        var generator = SyntaxGenerator.GetGenerator(document);
        var name = SyntaxFactory.ParseName("MmuGuard." + attribute).WithAdditionalAnnotations(Simplifier.Annotation);
        var annotated = generator.AddReturnAttributes(method, generator.Attribute(name));
        return document.WithSyntaxRoot(root.ReplaceNode(method, annotated));
    }
}
