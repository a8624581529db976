using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>Adds one ownership attribute to a declaration, as the suggestion fixers (MMU0016, MMU0023–MMU0026) write it.</summary>
internal static class ContractAttribute
{
    /// <summary>
    /// The declaration an attribute for the diagnostic on <paramref name="node"/> goes on: a parameter, or a field
    /// declaring one variable (an attribute there would cover every variable).
    /// </summary>
    public static SyntaxNode? TargetOf(SyntaxNode node) => node.FirstAncestorOrSelf<SyntaxNode>(
        candidate => candidate is ParameterSyntax or VariableDeclaratorSyntax) switch
    {
        ParameterSyntax parameter => parameter,
        VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: FieldDeclarationSyntax field } } => field,
        _ => null,
    };

    /// <summary>Adds <c>[attribute]</c> to <paramref name="declaration"/>, or <c>[return: attribute]</c> when <paramref name="onReturn"/>.</summary>
    public static async Task<Document> AddAsync(Document document, SyntaxNode declaration, string attribute, bool onReturn, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Written fully qualified and simplified afterwards, so it reads [Pinned] under `using MmuGuard;` and stays
        // correct without it.
        var generator = SyntaxGenerator.GetGenerator(document);
        var name = SyntaxFactory.ParseName("MmuGuard." + attribute).WithAdditionalAnnotations(Simplifier.Annotation);
        // The declaration's leading trivia (a blank line, a comment) stays in front of the new attribute list.
        var annotated = onReturn
            ? generator.AddReturnAttributes(declaration, generator.Attribute(name))
            : generator.AddAttributes(declaration.WithoutLeadingTrivia(), generator.Attribute(name)).WithLeadingTrivia(declaration.GetLeadingTrivia());
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, annotated));
    }
}
