using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>
/// Finds how to release a pinned value by contract: a one-parameter <c>[ReleasesPin]</c> method taking the value's
/// type on the object that pinned it, on the enclosing type, or on one of its fields; else a parameterless
/// <c>[ReleasesPin]</c> instance method of the value's own type (the receiver form, <c>map.Unmap()</c>).
/// </summary>
internal static class ReleaseCall
{
    /// <summary>The release statement for <paramref name="value"/>, or <see langword="null"/> when no release applies.</summary>
    public static ExpressionStatementSyntax? For(
        PinnedValue value, ExpressionSyntax? pinningReceiver, SyntaxNode site, ContractLookup lookup, CancellationToken cancellationToken)
    {
        var model = lookup.Model;
        var position = site.SpanStart;
        var argument = SyntaxFactory.IdentifierName(value.Symbol.Name);
        if (pinningReceiver is not null
            && IsRepeatable(pinningReceiver)
            && model.GetTypeInfo(pinningReceiver, cancellationToken).Type is { } receiverType
            && ReleaseOn(receiverType, value.Type, lookup, position) is { } onReceiver)
        {
            return Call(SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression, pinningReceiver.WithoutTrivia(), SyntaxFactory.IdentifierName(onReceiver.Name)), argument);
        }

        var enclosing = model.GetEnclosingSymbol(position, cancellationToken)?.ContainingType;
        if (enclosing is not null && ReleaseOn(enclosing, value.Type, lookup, position) is { } onEnclosing)
        {
            return Call(SyntaxFactory.IdentifierName(onEnclosing.Name), argument);
        }

        for (var type = enclosing; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IFieldSymbol field
                    && model.IsAccessible(position, field)
                    && ReleaseOn(field.Type, value.Type, lookup, position) is { } onField)
                {
                    return Call(
                        SyntaxFactory.MemberAccessExpression(
                            SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(field.Name), SyntaxFactory.IdentifierName(onField.Name)),
                        argument);
                }
            }
        }

        var receiverForm = ReceiverRelease(value.Type, lookup, position);
        return receiverForm is null
            ? null
            : Call(SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression, argument, SyntaxFactory.IdentifierName(receiverForm.Name)));
    }

    private static IMethodSymbol? ReleaseOn(ITypeSymbol owner, ITypeSymbol valueType, ContractLookup lookup, int position)
    {
        for (var type = owner; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsGenericMethod: false, Parameters.Length: 1 } method
                    && method.Parameters[0].RefKind == RefKind.None
                    && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, valueType)
                    && lookup.Contracts.Of(method.Parameters[0]).Has(Contract.ReleasesPin)
                    && lookup.Model.IsAccessible(position, method))
                {
                    return method;
                }
            }
        }

        return null;
    }

    private static IMethodSymbol? ReceiverRelease(ITypeSymbol valueType, ContractLookup lookup, int position)
    {
        foreach (var member in valueType.GetMembers())
        {
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, IsGenericMethod: false, Parameters.Length: 0 } method
                && lookup.Contracts.Of(method).Has(Contract.ReleasesPin)
                && lookup.Model.IsAccessible(position, method))
            {
                return method;
            }
        }

        return null;
    }

    /// <summary>Only names and member accesses on names may be evaluated again in the <c>finally</c>.</summary>
    private static bool IsRepeatable(ExpressionSyntax receiver) => receiver switch
    {
        IdentifierNameSyntax or ThisExpressionSyntax or BaseExpressionSyntax => true,
        MemberAccessExpressionSyntax access => IsRepeatable(access.Expression),
        _ => false,
    };

    private static ExpressionStatementSyntax Call(ExpressionSyntax target, params ExpressionSyntax[] arguments)
    {
        var list = SyntaxFactory.SeparatedList<ArgumentSyntax>();
        foreach (var argument in arguments)
        {
            list = list.Add(SyntaxFactory.Argument(argument));
        }

        return SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(target, SyntaxFactory.ArgumentList(list)));
    }

    /// <summary>
    /// The first of <paramref name="candidates"/> that already releases <paramref name="value"/> (the release the code
    /// makes elsewhere, repeated), else the release found by contract (<see cref="For"/>).
    /// </summary>
    public static ExpressionStatementSyntax? ExistingOrFor(
        IEnumerable<ExpressionStatementSyntax> candidates,
        PinnedValue value,
        ExpressionSyntax? pinningReceiver,
        SyntaxNode site,
        ContractLookup lookup,
        CancellationToken cancellationToken)
    {
        foreach (var statement in candidates)
        {
            if (Releases(statement, value, lookup, cancellationToken))
            {
                return statement.WithoutTrivia();
            }
        }

        return For(value, pinningReceiver, site, lookup, cancellationToken);
    }

    /// <summary>The object a pinning call was made on: <c>gup</c> in <c>gup.GetUserPages(hva)</c>; none for an unqualified call.</summary>
    public static ExpressionSyntax? ReceiverOf(ExpressionSyntax pinningCall) =>
        pinningCall is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } ? access.Expression : null;

    /// <summary>Whether <paramref name="statement"/> releases <paramref name="value"/> by contract (an argument of a <c>[ReleasesPin]</c> parameter, or the receiver of a <c>[ReleasesPin]</c> method).</summary>
    public static bool Releases(ExpressionStatementSyntax statement, PinnedValue value, ContractLookup lookup, CancellationToken cancellationToken)
    {
        if (lookup.Model.GetOperation(statement.Expression, cancellationToken) is not IInvocationOperation call)
        {
            return false;
        }

        if (lookup.Contracts.Of(call.TargetMethod).Has(Contract.ReleasesPin)
            && call.Instance is ILocalReferenceOperation or IParameterReferenceOperation
            && value.Is(ReferencedSymbol(call.Instance)))
        {
            return true;
        }

        foreach (var argument in call.Arguments)
        {
            if (lookup.Contracts.Of(argument.Parameter).Has(Contract.ReleasesPin) && value.Is(ReferencedSymbol(argument.Value)))
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? ReferencedSymbol(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };
}
