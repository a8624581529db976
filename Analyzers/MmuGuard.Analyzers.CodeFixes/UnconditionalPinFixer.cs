using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using MmuGuard.Analyzers.Flow;

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
        if (FindPin(node, lookup, cancellationToken) is not { } pin
            || TryPinSibling(pin.Method, pin.Ordinal, lookup, pin.Invocation.SpanStart) is not { } sibling)
        {
            return null;
        }

        return CodeAction.Create(
            "Use '" + sibling.Name + "' and handle its failure",
            token => ReplaceAsync(document, pin, sibling, lookup, token),
            nameof(UnconditionalPinFixer));
    }

    private static PinCall? FindPin(SyntaxNode node, ContractLookup lookup, CancellationToken cancellationToken)
    {
        foreach (var invocation in node.AncestorsAndSelf())
        {
            if (invocation is not InvocationExpressionSyntax call
                || call.Parent is not ExpressionStatementSyntax statement
                || lookup.TargetOf(call, cancellationToken) is not { } method)
            {
                continue;
            }

            var ordinal = PinnedOrdinal(method, lookup.Contracts);
            if (ordinal is { } found)
            {
                return new PinCall(call, statement, method, found);
            }
        }

        return null;
    }

    /// <summary>The position of the <c>[AcquiresPin]</c> parameter, -1 for the receiver form, null when the method pins nothing.</summary>
    private static int? PinnedOrdinal(IMethodSymbol method, ContractCache contracts)
    {
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            if (contracts.Of(method.Parameters[i]).Has(Contract.AcquiresPin))
            {
                return i;
            }
        }

        return !method.IsStatic && contracts.Of(method).Has(Contract.AcquiresPin) ? -1 : null;
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
        var guard = StatementSpacing.ReplacingWithBlock(
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
