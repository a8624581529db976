using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using MmuGuard.Analyzers.Rules.Inference;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>The fix of MMU0023–MMU0026: writes the contract the body proves on the parameter or field.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InferredContractFixer))]
[Shared]
public sealed class InferredContractFixer : ContractCodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.InferredReleasesPin,
        DiagnosticIds.InferredTakesPinOwnership,
        DiagnosticIds.InferredRequiresPin,
        DiagnosticIds.InferredNotifierCovered);

    private protected override CodeAction? CreateFix(
        Document document, SyntaxNode node, Diagnostic diagnostic, ContractLookup lookup, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(InferredContract.AttributeProperty, out var attribute)
            || attribute is null
            || ContractAttribute.TargetOf(node) is not { } declaration)
        {
            return null;
        }

        return CodeAction.Create(
            "Mark it [" + attribute + "]",
            token => ContractAttribute.AddAsync(document, declaration, attribute, onReturn: false, token),
            // One key for every contract, so Fix All writes on each declaration the contract its body proves.
            EquivalenceKey);
    }
}
