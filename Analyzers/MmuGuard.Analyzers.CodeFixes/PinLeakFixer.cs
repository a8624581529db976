using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>
/// MMU0005's fix: releases a leaked pin in a <c>finally</c> that covers the statements after the pin (see
/// <see cref="GuardedRange"/> for those that must stay after it), and drops the releases of the same value that the
/// <c>finally</c> makes redundant. Offered only where a <c>[ReleasesPin]</c> method applies to the value (see
/// <see cref="ReleaseCall"/>) and the rule reports that no path hands the pin to an owner
/// (<see cref="PinLeakRule.HandedOverProperty"/>), since a <c>finally</c> would then drop a pin that is no longer the
/// method's to drop.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PinLeakFixer))]
[Shared]
public sealed class PinLeakFixer : ContractCodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.PinLeak);

    private protected override CodeAction? CreateFix(
        Document document, SyntaxNode node, Diagnostic diagnostic, ContractLookup lookup, CancellationToken cancellationToken)
    {
        // A finally would drop a pin that some path hands to an owner (returned as pinned, stored, adopted).
        if (!diagnostic.Properties.TryGetValue(PinLeakRule.HandedOverProperty, out var handedOver)
            || handedOver != "false"
            || Acquisition(AcquisitionNode(node, diagnostic), lookup, cancellationToken) is not { } pin
            || pin.Statement.Parent is not BlockSyntax block
            || GuardedRange.Of(block, pin.Statement, pin.Value, lookup.Model, cancellationToken) is not { } range
            || ReleaseFor(pin, range, diagnostic, lookup, cancellationToken) is not { } release)
        {
            return null;
        }

        return CodeAction.Create(
            "Release '" + pin.Value.Symbol.Name + "' in a finally",
            token => ReleaseInFinallyAsync(document, block, pin, range, release, lookup, token),
            EquivalenceKey);
    }

    /// <summary>
    /// The release the <c>finally</c> runs: the one the method already uses on the paths that release (the rule
    /// reports whether there are any), else one found by contract.
    /// </summary>
    private static ExpressionStatementSyntax? ReleaseFor(
        PinStatement pin, GuardedRange range, Diagnostic diagnostic, ContractLookup lookup, CancellationToken cancellationToken)
    {
        var releasesElsewhere = diagnostic.Properties.TryGetValue(PinLeakRule.ReleasedProperty, out var released) && released == "true";
        var candidates = releasesElsewhere
            ? range.Guarded.SelectMany(moved => moved.DescendantNodesAndSelf().OfType<ExpressionStatementSyntax>())
            : Enumerable.Empty<ExpressionStatementSyntax>();
        return ReleaseCall.ExistingOrFor(candidates, pin.Value, pin.Receiver, pin.Statement, lookup, cancellationToken);
    }

    /// <summary>
    /// Where the leaked value was declared: the diagnostic sits on the exit where the pin leaks and names the
    /// declaration as its additional location; a leaked temporary or overwrite is reported where it is.
    /// </summary>
    private static SyntaxNode AcquisitionNode(SyntaxNode node, Diagnostic diagnostic) =>
        diagnostic.AdditionalLocations.Count > 0 && diagnostic.AdditionalLocations[0].SourceTree == node.SyntaxTree
            ? node.SyntaxTree.GetRoot().FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true)
            : node;

    /// <summary>The statement that takes the pin: <c>var x = PinnedCall();</c> or <c>pages.Pin(x);</c>.</summary>
    private static PinStatement? Acquisition(SyntaxNode node, ContractLookup lookup, CancellationToken cancellationToken)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case VariableDeclaratorSyntax { Initializer.Value: var initializer } declarator
                    when declarator.Parent?.Parent is LocalDeclarationStatementSyntax declaration
                         && PinnedValue.Of(lookup.Model.GetDeclaredSymbol(declarator, cancellationToken)) is { } local:
                    return new PinStatement(declaration, local, ReleaseCall.ReceiverOf(initializer));
                case InvocationExpressionSyntax invocation when invocation.Parent is ExpressionStatementSyntax statement
                    && PinnedArgument(invocation, lookup, cancellationToken) is { } argument:
                    return new PinStatement(statement, argument, ReleaseCall.ReceiverOf(invocation));
                case StatementSyntax:
                    return null;
            }
        }

        return null;
    }

    private static PinnedValue? PinnedArgument(InvocationExpressionSyntax invocation, ContractLookup lookup, CancellationToken cancellationToken)
    {
        if (lookup.Model.GetOperation(invocation, cancellationToken) is not IInvocationOperation call)
        {
            return null;
        }

        foreach (var argument in call.Arguments)
        {
            if (lookup.Contracts.Of(argument.Parameter).Has(Contract.AcquiresPin)
                && argument.Value.Syntax is IdentifierNameSyntax name)
            {
                return PinnedValue.Of(lookup.Model.GetSymbolInfo(name, cancellationToken).Symbol);
            }
        }

        return null;
    }

    private static async Task<Document> ReleaseInFinallyAsync(
        Document document,
        BlockSyntax block,
        PinStatement pin,
        GuardedRange range,
        ExpressionStatementSyntax release,
        ContractLookup lookup,
        CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Only the moved statements can hold releases: what stays after the try never reads the value.
        var redundant = range.Guarded
            .SelectMany(statement => statement.DescendantNodesAndSelf().OfType<ExpressionStatementSyntax>())
            .Where(statement => ReleaseCall.Releases(statement, pin.Value, lookup, cancellationToken))
            .ToArray();
        var tracked = block.TrackNodes(redundant.Concat<SyntaxNode>(range.Guarded).Concat(range.After).Append(pin.Statement));
        foreach (var statement in redundant)
        {
            var current = tracked.GetCurrentNode(statement)!;
            tracked = current.Parent is BlockSyntax
                ? tracked.RemoveNode(current, SyntaxRemoveOptions.KeepNoTrivia)!
                : tracked.ReplaceNode(current, SyntaxFactory.Block());
        }

        var index = tracked.Statements.IndexOf(tracked.GetCurrentNode(pin.Statement)!);
        var moved = range.Guarded.Select(statement => tracked.GetCurrentNode(statement)).OfType<StatementSyntax>().ToArray();
        var releaseStatement = release.WithAdditionalAnnotations(Formatter.Annotation);
        StatementSyntax guarded = moved.Length == 0
            ? releaseStatement
            : SyntaxFactory.TryStatement(
                    SyntaxFactory.Block(moved),
                    SyntaxFactory.List<CatchClauseSyntax>(),
                    SyntaxFactory.FinallyClause(SyntaxFactory.Block(releaseStatement)))
                .WithAdditionalAnnotations(Formatter.Annotation);
        var statements = tracked.Statements.Take(index + 1)
            .Append(guarded)
            .Concat(range.After.Select(statement => tracked.GetCurrentNode(statement)!));
        return document.WithSyntaxRoot(root.ReplaceNode(block, tracked.WithStatements(SyntaxFactory.List(statements))));
    }
}
