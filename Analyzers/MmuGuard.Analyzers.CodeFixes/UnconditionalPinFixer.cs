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
/// MMU0002's fix: replaces an unconditional pin statement with the type's try-pin and a failure branch
/// (<c>if (!pages.TryPin(pfn)) { return; }</c>). The try-pin is found by contract, never by name: a method of the
/// same type with a <c>[TryAcquiresPin]</c> parameter at the pinned parameter's position (or on the method, for a
/// receiver-form pin), the same other parameters, and a <c>bool</c> result.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnconditionalPinFixer))]
[Shared]
public sealed class UnconditionalPinFixer : ContractCodeFixProvider
{
    private const string Failure = "The page could not be pinned: it may be non-refcounted or have no page descriptor.";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnconditionalPinOfMaybeNonRefcounted);

    private protected override CodeAction? CreateFix(
        Document document, SyntaxNode node, Diagnostic diagnostic, ContractLookup lookup, CancellationToken cancellationToken)
    {
        if (FindPin(node, diagnostic, lookup, cancellationToken) is not { } pin
            || TryPinSibling(pin.Method, pin.Ordinal, lookup, pin.Invocation.SpanStart) is not { } sibling)
        {
            return null;
        }

        return CodeAction.Create(
            "Use '" + sibling.Name + "' and handle its failure",
            token => ReplaceAsync(document, pin, sibling, lookup, token),
            EquivalenceKey);
    }

    /// <summary>
    /// The pin statement the diagnostic is about, found from the rule's <see cref="UnconditionalPinRule.PinKindProperty"/>:
    /// the argument the diagnostic sits on and the parameter it binds to, or the receiver and its call.
    /// </summary>
    private static PinCall? FindPin(SyntaxNode node, Diagnostic diagnostic, ContractLookup lookup, CancellationToken cancellationToken)
    {
        diagnostic.Properties.TryGetValue(UnconditionalPinRule.PinKindProperty, out var kind);
        IInvocationOperation? call;
        int ordinal;
        switch (kind)
        {
            case UnconditionalPinRule.PinnedArgument:
                if (node.FirstAncestorOrSelf<ArgumentSyntax>() is not { } argumentSyntax
                    || lookup.Model.GetOperation(argumentSyntax, cancellationToken) is not IArgumentOperation { Parameter: { } parameter } argument
                    || argument.Parent is not IInvocationOperation argumentCall)
                {
                    return null;
                }

                call = argumentCall;
                ordinal = parameter.Ordinal;
                break;
            case UnconditionalPinRule.PinnedReceiver:
                call = ReceiverCall(node, lookup, cancellationToken);
                ordinal = -1;
                break;
            default:
                return null;
        }

        return call is { Syntax: InvocationExpressionSyntax { Parent: ExpressionStatementSyntax statement } invocation }
            ? new PinCall(invocation, statement, call.TargetMethod, ordinal)
            : null;
    }

    private static IInvocationOperation? ReceiverCall(SyntaxNode receiver, ContractLookup lookup, CancellationToken cancellationToken)
    {
        foreach (var invocation in receiver.AncestorsAndSelf().OfType<InvocationExpressionSyntax>())
        {
            if (lookup.Model.GetOperation(invocation, cancellationToken) is IInvocationOperation call
                && call.Instance?.Syntax == receiver)
            {
                return call;
            }
        }

        return null;
    }

    private static IMethodSymbol? TryPinSibling(IMethodSymbol pin, int ordinal, ContractLookup lookup, int position)
    {
        for (var type = pin.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol candidate
                    && IsTryPinCounterpart(pin, candidate, ordinal, lookup.Contracts)
                    && lookup.Model.IsAccessible(position, candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool IsTryPinCounterpart(IMethodSymbol pin, IMethodSymbol candidate, int ordinal, ContractCache contracts)
    {
        if (candidate.MethodKind != MethodKind.Ordinary
            || candidate.IsStatic != pin.IsStatic
            || candidate.IsGenericMethod
            || candidate.ReturnType.SpecialType != SpecialType.System_Boolean
            || candidate.Parameters.Length != pin.Parameters.Length)
        {
            return false;
        }

        for (var i = 0; i < pin.Parameters.Length; i++)
        {
            if (candidate.Parameters[i].RefKind != pin.Parameters[i].RefKind
                || !SymbolEqualityComparer.Default.Equals(candidate.Parameters[i].Type, pin.Parameters[i].Type))
            {
                return false;
            }
        }

        var tries = ordinal < 0 ? contracts.Of(candidate) : contracts.Of(candidate.Parameters[ordinal]);
        return tries.Has(Contract.TryAcquiresPin);
    }

    private static async Task<Document> ReplaceAsync(
        Document document, PinCall pin, IMethodSymbol sibling, ContractLookup lookup, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var renamed = Renamed(pin.Invocation, sibling.Name);
        if (root is null || renamed is null)
        {
            return document;
        }

        var onFalse = (pin.Ordinal < 0 ? lookup.Contracts.Of(sibling) : lookup.Contracts.Of(sibling.Parameters[pin.Ordinal]))
            .Has(Contract.TryAcquiresPinOnFalse);
        ExpressionSyntax failed = onFalse
            ? renamed
            : SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, renamed);
        var guard = EmbeddedStatement.InPlaceOf(
                pin.Statement,
                SyntaxFactory.IfStatement(failed, SyntaxFactory.Block(FailureExit.For(lookup.Model, pin.Statement, Failure))))
            .WithAdditionalAnnotations(Formatter.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(pin.Statement, guard));
    }

    private static InvocationExpressionSyntax? Renamed(InvocationExpressionSyntax invocation, string name) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax { Name: IdentifierNameSyntax old } access =>
            invocation.WithExpression(access.WithName(SyntaxFactory.IdentifierName(name).WithTriviaFrom(old))),
        IdentifierNameSyntax old => invocation.WithExpression(SyntaxFactory.IdentifierName(name).WithTriviaFrom(old)),
        _ => null,
    };
}
