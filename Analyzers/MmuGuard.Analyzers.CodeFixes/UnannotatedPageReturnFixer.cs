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
public sealed class UnannotatedPageReturnFixer : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnannotatedPageReturn);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(UnannotatedPageReturnAnalyzer.AttributeProperty, out var attribute)
                || attribute is null
                || root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Mark the return value [return: " + attribute + "]",
                    cancellationToken => AddReturnAttributeAsync(context.Document, method, attribute, cancellationToken),
                    // One key for both attributes, so Fix All annotates every helper with the attribute its body implies.
                    nameof(UnannotatedPageReturnFixer)),
                diagnostic);
        }
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
