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
/// MMU0004's fix: adds what the rule reports missing (<see cref="NotifierSequenceRule.MissingProperty"/>) of KVM's
/// fault discipline around a notifier-covered install of a resolved local. A missing snapshot becomes
/// <c>var sequence = notifier.SnapshotSequence();</c> right before the statement that resolves the PFN, and every
/// retry check between the resolve and the install is pointed at it (a snapshot taken after the resolve cannot see
/// an invalidation that ran during it). A missing retry check becomes <c>if (notifier.MustRetry(sequence)) { return; }</c>
/// right before the install, on the snapshot that precedes the resolve. The pair is found by contract
/// (<see cref="SequenceProvider"/>).
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
        Plan(node, diagnostic, lookup, cancellationToken) is { } plan
            ? CodeAction.Create(
                "Add the invalidation-sequence snapshot and retry check",
                token => ApplyAsync(document, plan, lookup, token),
                EquivalenceKey)
            : null;

    private static SequencePlan? Plan(SyntaxNode node, Diagnostic diagnostic, ContractLookup lookup, CancellationToken cancellationToken)
    {
        diagnostic.Properties.TryGetValue(NotifierSequenceRule.MissingProperty, out var missing);
        var addSnapshot = missing is NotifierSequenceRule.MissingSnapshot or NotifierSequenceRule.MissingBoth;
        var addRetry = missing is NotifierSequenceRule.MissingRetryCheck or NotifierSequenceRule.MissingBoth;

        // RetryIgnored: the discipline is present but the install sits on the retry edge; a person must look.
        var model = lookup.Model;
        if (!addSnapshot && !addRetry
            || node.FirstAncestorOrSelf<ArgumentSyntax>() is not { Expression: IdentifierNameSyntax argument } argumentSyntax
            || model.GetOperation(argumentSyntax, cancellationToken) is not IArgumentOperation { Parent: IInvocationOperation call }
            || call.Syntax.Parent is not ExpressionStatementSyntax install
            || model.GetSymbolInfo(argument, cancellationToken).Symbol is not ILocalSymbol local
            || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken).FirstAncestorOrSelf<StatementSyntax>() is not { } resolve
            || !EmbeddedStatement.IsInList(resolve)
            || FunctionOf(resolve) is not { } function
            || FunctionOf(install) != function
            || model.GetEnclosingSymbol(install.SpanStart, cancellationToken) is not { } functionSymbol
            || resolve.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member
            || SequenceProvider.Find(member, functionSymbol, lookup, cancellationToken) is not { } provider)
        {
            return null;
        }

        var snapshot = addSnapshot ? null : SnapshotInScope(resolve, install, lookup, cancellationToken);
        var lateChecks = addSnapshot ? RetryChecksBetween(function, resolve, install, lookup, cancellationToken) : ImmutableArray<InvocationExpressionSyntax>.Empty;
        if (addSnapshot && !addRetry && lateChecks.IsEmpty)
        {
            return null; // a snapshot no retry check reads would silence the rule and leave the race
        }

        // A pinned value (a GUP'd pfn) leaving through the new retry exit must be released there, as the body
        // already does elsewhere or as its contracts say; without a release to write, no fix is offered.
        ExpressionStatementSyntax? release = null;
        if (addRetry && diagnostic.Properties.TryGetValue(NotifierSequenceRule.HoldsPinProperty, out var holdsPin) && holdsPin == "true"
            && (PinnedValue.Of(local) is not { } pinned || (release = ReleaseOf(function, resolve, pinned, lookup, cancellationToken)) is null))
        {
            return null;
        }

        return new SequencePlan(resolve, install, provider, snapshot, addRetry, lateChecks, FreeName(member, model, resolve.SpanStart), release);
    }

    /// <summary>The lambda, local function or member whose body runs <paramref name="statement"/>.</summary>
    private static SyntaxNode? FunctionOf(SyntaxNode statement) =>
        statement.Ancestors().FirstOrDefault(ancestor => ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax);

    /// <summary>A release of <paramref name="value"/> the function already makes, else one found by contract.</summary>
    private static ExpressionStatementSyntax? ReleaseOf(
        SyntaxNode function, StatementSyntax resolve, PinnedValue value, ContractLookup lookup, CancellationToken cancellationToken)
    {
        var receiver = resolve is LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration
            && declaration.Declaration.Variables[0].Initializer?.Value is { } initializer
            ? ReleaseCall.ReceiverOf(initializer)
            : null;
        return ReleaseCall.ExistingOrFor(function.DescendantNodes().OfType<ExpressionStatementSyntax>(), value, receiver, resolve, lookup, cancellationToken);
    }

    /// <summary>
    /// A local holding a snapshot that was taken before <paramref name="resolve"/> and is still in scope at
    /// <paramref name="install"/>; a snapshot in a block that has closed, or in another function, cannot be named there.
    /// </summary>
    private static string? SnapshotInScope(StatementSyntax resolve, StatementSyntax install, ContractLookup lookup, CancellationToken cancellationToken)
    {
        foreach (var symbol in lookup.Model.LookupSymbols(install.SpanStart))
        {
            if (symbol is ILocalSymbol candidate
                && candidate.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is VariableDeclaratorSyntax declarator
                && declarator.Span.End <= resolve.SpanStart
                && FunctionOf(declarator) == FunctionOf(resolve)
                && IsSnapshot(declarator.Initializer?.Value, lookup, cancellationToken))
            {
                return candidate.Name;
            }
        }

        return null;
    }

    private static bool IsSnapshot(ExpressionSyntax? expression, ContractLookup lookup, CancellationToken cancellationToken) =>
        expression is InvocationExpressionSyntax call
        && lookup.TargetOf(call, cancellationToken) is { } method
        && lookup.Contracts.Of(method).Has(Contract.SnapshotsInvalidationSequence);

    /// <summary>The retry checks of <paramref name="function"/> itself that run between the resolve and the install.</summary>
    private static ImmutableArray<InvocationExpressionSyntax> RetryChecksBetween(
        SyntaxNode function, StatementSyntax resolve, StatementSyntax install, ContractLookup lookup, CancellationToken cancellationToken)
    {
        var checks = ImmutableArray.CreateBuilder<InvocationExpressionSyntax>();
        foreach (var call in function.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (call.SpanStart > resolve.Span.End
                && call.SpanStart < install.SpanStart
                && call.ArgumentList.Arguments.Count == 1
                && FunctionOf(call) == function
                && lookup.TargetOf(call, cancellationToken) is { } method
                && lookup.Contracts.Of(method).Has(Contract.ChecksInvalidationRetry))
            {
                checks.Add(call);
            }
        }

        return checks.ToImmutable();
    }

    private static async Task<Document> ApplyAsync(Document document, SequencePlan plan, ContractLookup lookup, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var snapshotName = plan.ExistingSnapshot ?? plan.FreeName;
        var replacedSnapshots = LateSnapshotsLeftUnused(plan, lookup, cancellationToken);
        var tracked = root.TrackNodes(new SyntaxNode[] { plan.Resolve, plan.Install }.Concat(plan.LateRetryChecks).Concat(replacedSnapshots));
        foreach (var check in plan.LateRetryChecks)
        {
            var current = tracked.GetCurrentNode(check)!;
            var argument = current.ArgumentList.Arguments[0];
            tracked = tracked.ReplaceNode(argument.Expression, SyntaxFactory.IdentifierName(snapshotName).WithTriviaFrom(argument.Expression));
        }

        foreach (var unused in replacedSnapshots)
        {
            tracked = tracked.RemoveNode(tracked.GetCurrentNode(unused)!, SyntaxRemoveOptions.KeepNoTrivia)!;
        }

        if (plan.AddRetry)
        {
            var install = tracked.GetCurrentNode(plan.Install)!;
            var retry = SyntaxFactory.IfStatement(
                    plan.Provider.Call(plan.Provider.Retry, SyntaxFactory.IdentifierName(snapshotName)),
                    plan.ReleaseOnRetry is { } release
                        ? SyntaxFactory.Block(release, FailureExit.For(lookup.Model, plan.Install, RetryFailure))
                        : SyntaxFactory.Block(FailureExit.For(lookup.Model, plan.Install, RetryFailure)))
                .WithAdditionalAnnotations(Formatter.Annotation);
            tracked = EmbeddedStatement.IsInList(install)
                ? tracked.InsertNodesBefore(install, new[]
                {
                    retry.WithLeadingTrivia(StatementSpacing.IndentationOf(install))
                        .WithTrailingTrivia(StatementSpacing.NewLineOf(install), StatementSpacing.NewLineOf(install)),
                })
                : tracked.ReplaceNode(install, EmbeddedStatement.InPlaceOf(install, retry, install.WithoutTrivia()));
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

    /// <summary>
    /// The declarations of late snapshots (<c>var seq = notifier.Read();</c> after the resolve) that nothing reads
    /// once their retry checks use the new snapshot.
    /// </summary>
    private static IEnumerable<LocalDeclarationStatementSyntax> LateSnapshotsLeftUnused(SequencePlan plan, ContractLookup lookup, CancellationToken cancellationToken)
    {
        var model = lookup.Model;
        foreach (var check in plan.LateRetryChecks)
        {
            if (model.GetSymbolInfo(check.ArgumentList.Arguments[0].Expression, cancellationToken).Symbol is not ILocalSymbol late
                || late.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
                || declarator.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { Declaration.Variables.Count: 1 } declaration
                || !EmbeddedStatement.IsInList(declaration)
                || !IsSnapshot(declarator.Initializer?.Value, lookup, cancellationToken))
            {
                continue;
            }

            var readsElsewhere = FunctionOf(declaration)!.DescendantNodes().OfType<IdentifierNameSyntax>().Any(name =>
                name.Identifier.ValueText == late.Name
                && !plan.LateRetryChecks.Any(retry => retry.ArgumentList.Arguments[0].Expression == name)
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, late));
            if (!readsElsewhere)
            {
                yield return declaration;
            }
        }
    }

    /// <summary><c>sequence</c>, or <c>sequence2</c>… when that name is visible at the resolve or declared anywhere in the member.</summary>
    private static string FreeName(SyntaxNode member, SemanticModel model, int position)
    {
        var declared = new HashSet<string>(member.DescendantNodes().Select(DeclaredName).Where(name => name is not null)!);
        var name = SnapshotName;
        for (var suffix = 2; declared.Contains(name) || !model.LookupSymbols(position, name: name).IsEmpty; suffix++)
        {
            name = SnapshotName + suffix;
        }

        return name;
    }

    private static string? DeclaredName(SyntaxNode node) => node switch
    {
        VariableDeclaratorSyntax declarator => declarator.Identifier.ValueText,
        SingleVariableDesignationSyntax designation => designation.Identifier.ValueText,
        ParameterSyntax parameter => parameter.Identifier.ValueText,
        ForEachStatementSyntax loop => loop.Identifier.ValueText,
        LocalFunctionStatementSyntax function => function.Identifier.ValueText,
        CatchDeclarationSyntax exception => exception.Identifier.ValueText,
        _ => null,
    };
}
