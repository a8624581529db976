using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
        if (!diagnostic.Properties.TryGetValue(UnannotatedPageReturnAnalyzer.AttributeProperty, out var attribute) || attribute is null)
        {
            return null;
        }

        // An `out` parameter carries the attribute itself; a return value takes it as [return: ...].
        if (node.FirstAncestorOrSelf<ParameterSyntax>() is { } parameter)
        {
            return CodeAction.Create(
                "Mark the out parameter [" + attribute + "]",
                token => ContractAttribute.AddAsync(document, parameter, attribute, onReturn: false, token),
                EquivalenceKey);
        }

        if (node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
        {
            return null;
        }

        return CodeAction.Create(
            "Mark the return value [return: " + attribute + "]",
            token => ContractAttribute.AddAsync(document, method, attribute, onReturn: true, token),
            // One key for both attributes and both places, so Fix All annotates every helper as its body implies.
            EquivalenceKey);
    }
}
