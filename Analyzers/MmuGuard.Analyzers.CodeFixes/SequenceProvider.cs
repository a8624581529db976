using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>
/// Something in scope that offers the invalidation-sequence pair, found by contract: a parameterless
/// <c>[SnapshotsInvalidationSequence]</c> method and a <c>bool</c> <c>[ChecksInvalidationRetry]</c> method taking the
/// snapshot's type.
/// </summary>
/// <param name="Receiver">How to reach the pair; <see langword="null"/>: the enclosing type itself.</param>
/// <param name="Snapshot">The <c>[SnapshotsInvalidationSequence]</c> method.</param>
/// <param name="Retry">The <c>[ChecksInvalidationRetry]</c> method that takes the snapshot.</param>
internal sealed record SequenceProvider(ExpressionSyntax? Receiver, IMethodSymbol Snapshot, IMethodSymbol Retry)
{
    /// <summary>
    /// Looks where a sim keeps its notifier: the receiver of a snapshot or retry call already in the body, a
    /// parameter, a field or property of the enclosing type, then the enclosing type itself.
    /// </summary>
    public static SequenceProvider? Find(SyntaxNode body, ISymbol function, ContractLookup lookup, CancellationToken cancellationToken)
    {
        foreach (var node in body.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                && lookup.Model.GetOperation(node, cancellationToken) is IInvocationOperation call
                && lookup.Contracts.Of(call.TargetMethod).Has(Contract.SnapshotsInvalidationSequence | Contract.ChecksInvalidationRetry)
                && call.Instance?.Type is { } type
                && On(access.Expression.WithoutTrivia(), type, lookup) is { } used)
            {
                return used;
            }
        }

        if (function is IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters)
            {
                if (On(SyntaxFactory.IdentifierName(parameter.Name), parameter.Type, lookup) is { } viaParameter)
                {
                    return viaParameter;
                }
            }
        }

        var enclosing = function.ContainingType;
        if (enclosing is null)
        {
            return null;
        }

        foreach (var member in enclosing.GetMembers())
        {
            var type = member switch
            {
                IFieldSymbol { IsImplicitlyDeclared: false } field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            };
            if (type is not null && On(SyntaxFactory.IdentifierName(member.Name), type, lookup) is { } viaMember)
            {
                return viaMember;
            }
        }

        return On(null, enclosing, lookup);
    }

    private static SequenceProvider? On(ExpressionSyntax? receiver, ITypeSymbol type, ContractLookup lookup)
    {
        IMethodSymbol? snapshot = null;
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol { Parameters.Length: 0, ReturnsVoid: false } candidate
                && lookup.Contracts.Of(candidate).Has(Contract.SnapshotsInvalidationSequence))
            {
                snapshot = candidate;
                break;
            }
        }

        if (snapshot is null)
        {
            return null;
        }

        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol { Parameters.Length: 1 } candidate
                && candidate.ReturnType.SpecialType == SpecialType.System_Boolean
                && SymbolEqualityComparer.Default.Equals(candidate.Parameters[0].Type, snapshot.ReturnType)
                && lookup.Contracts.Of(candidate).Has(Contract.ChecksInvalidationRetry))
            {
                return new SequenceProvider(receiver, snapshot, candidate);
            }
        }

        return null;
    }

    /// <summary><c>receiver.Method(arguments)</c>, or <c>Method(arguments)</c> on the enclosing type.</summary>
    public InvocationExpressionSyntax Call(IMethodSymbol method, params ExpressionSyntax[] arguments)
    {
        ExpressionSyntax target = Receiver is null
            ? SyntaxFactory.IdentifierName(method.Name)
            : SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Receiver, SyntaxFactory.IdentifierName(method.Name));
        var list = SyntaxFactory.SeparatedList<ArgumentSyntax>();
        foreach (var argument in arguments)
        {
            list = list.Add(SyntaxFactory.Argument(argument));
        }

        return SyntaxFactory.InvocationExpression(target, SyntaxFactory.ArgumentList(list));
    }
}
