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

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>
/// MMU0004's fix: adds what is missing of KVM's fault discipline around a notifier-covered install of a resolved
/// local: <c>var sequence = notifier.SnapshotSequence();</c> before the statement that resolves the PFN (unless a
/// snapshot already precedes it), and <c>if (notifier.MustRetry(sequence)) { return; }</c> right before the install
/// (unless a retry check already follows the resolve). The pair is found by contract (<see cref="SequenceProvider"/>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NotifierSequenceFixer))]
[Shared]
public sealed class NotifierSequenceFixer : ContractCodeFixProvider
{
    private const string SnapshotName = "sequence";
    private const string RetryFailure = "An invalidation ran while the page was being resolved; retry the fault.";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.NotifierCoveredInstallWithoutSequenceCheck);

    private protected override CodeAction? CreateFix(
        Document document, SyntaxNode node, Diagnostic diagnostic, ContractLookup lookup, CancellationToken cancellationToken) =>
        Plan(node, lookup, cancellationToken) is { } plan
            ? CodeAction.Create(
                "Add the invalidation-sequence snapshot and retry check",
                token => ApplyAsync(document, plan, lookup, token),
                nameof(NotifierSequenceFixer))
            : null;

    private static SequencePlan? Plan(SyntaxNode node, ContractLookup lookup, CancellationToken cancellationToken)
    {
        var model = lookup.Model;
        if (node.FirstAncestorOrSelf<ArgumentSyntax>() is not { Expression: IdentifierNameSyntax argument }
            || argument.Parent?.Parent?.Parent is not InvocationExpressionSyntax { Parent: ExpressionStatementSyntax { Parent: BlockSyntax } install }
            || model.GetSymbolInfo(argument, cancellationToken).Symbol is not ILocalSymbol local
            || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken).FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax } resolve
            || model.GetEnclosingSymbol(install.SpanStart, cancellationToken) is not { } function
            || resolve.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } body
            || SequenceProvider.Find(body, function, lookup, cancellationToken) is not { } provider)
        {
            return null;
        }

        var snapshot = SnapshotBefore(body, resolve, lookup, cancellationToken);
        var checksRetry = RetryCheckBetween(body, resolve, install, lookup, cancellationToken);
        if (snapshot is not null && checksRetry)
        {
            return null; // the discipline is present but misused (e.g. install on the retry edge): a person must look
        }

        return new SequencePlan(resolve, install, provider, snapshot, addRetry: !checksRetry);
    }

    /// <summary>The name of a local holding a snapshot taken before <paramref name="resolve"/>, if any.</summary>
    private static string? SnapshotBefore(SyntaxNode body, StatementSyntax resolve, ContractLookup lookup, CancellationToken cancellationToken)
    {
        foreach (var declarator in body.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (declarator.SpanStart < resolve.SpanStart
                && declarator.Initializer?.Value is InvocationExpressionSyntax call
                && lookup.TargetOf(call, cancellationToken) is { } method
                && lookup.Contracts.Of(method).Has(Contract.SnapshotsInvalidationSequence))
            {
                return declarator.Identifier.ValueText;
            }
        }

        return null;
    }

    private static bool RetryCheckBetween(
        SyntaxNode body, StatementSyntax resolve, StatementSyntax install, ContractLookup lookup, CancellationToken cancellationToken)
    {
        foreach (var call in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (call.SpanStart > resolve.Span.End
                && call.SpanStart < install.SpanStart
                && lookup.TargetOf(call, cancellationToken) is { } method
                && lookup.Contracts.Of(method).Has(Contract.ChecksInvalidationRetry))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<Document> ApplyAsync(Document document, SequencePlan plan, ContractLookup lookup, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var snapshotName = plan.ExistingSnapshot ?? FreeName(lookup.Model, plan.Resolve.SpanStart);
        var tracked = root.TrackNodes(plan.Resolve, plan.Install);
        if (plan.AddRetry)
        {
            var retry = SyntaxFactory.IfStatement(
                    plan.Provider.Call(plan.Provider.Retry, SyntaxFactory.IdentifierName(snapshotName)),
                    SyntaxFactory.Block(FailureExit.For(lookup.Model, plan.Install, RetryFailure)))
                .WithLeadingTrivia(StatementSpacing.IndentationOf(plan.Install))
                .WithTrailingTrivia(StatementSpacing.NewLineOf(plan.Install), StatementSpacing.NewLineOf(plan.Install))
                .WithAdditionalAnnotations(Formatter.Annotation);
            tracked = tracked.InsertNodesBefore(tracked.GetCurrentNode(plan.Install)!, new[] { retry });
        }

        if (plan.ExistingSnapshot is null)
        {
            var snapshot = SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(snapshotName))
                        .WithInitializer(SyntaxFactory.EqualsValueClause(plan.Provider.Call(plan.Provider.Snapshot))))))
                .WithLeadingTrivia(StatementSpacing.IndentationOf(plan.Resolve))
                .WithTrailingTrivia(StatementSpacing.NewLineOf(plan.Resolve))
                .WithAdditionalAnnotations(Formatter.Annotation);
            tracked = tracked.InsertNodesBefore(tracked.GetCurrentNode(plan.Resolve)!, new[] { snapshot });
        }

        return document.WithSyntaxRoot(tracked);
    }

    private static string FreeName(SemanticModel model, int position)
    {
        var name = SnapshotName;
        for (var suffix = 2; !model.LookupSymbols(position, name: name).IsEmpty; suffix++)
        {
            name = SnapshotName + suffix;
        }

        return name;
    }
}
