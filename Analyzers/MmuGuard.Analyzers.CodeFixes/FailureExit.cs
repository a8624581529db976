using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>
/// The statement that leaves a function on the "cannot pin" / "must retry" edge: <c>return;</c> where nothing is
/// returned, <c>return false;</c> where a <c>bool</c> reports success, and otherwise a throw, since inventing a
/// value of the caller's own result type (a default PFN, a made-up enum member) would hide the failure.
/// </summary>
internal static class FailureExit
{
    public static StatementSyntax For(SemanticModel model, SyntaxNode inside, string failure)
    {
        var function = model.GetEnclosingSymbol(inside.SpanStart) as IMethodSymbol;
        var result = function is null ? null : ResultType(function, model.Compilation);
        if (function is not null && function.MethodKind != MethodKind.Constructor && !IsIterator(inside))
        {
            if (result is null)
            {
                return SyntaxFactory.ReturnStatement();
            }

            if (result.SpecialType == SpecialType.System_Boolean)
            {
                return SyntaxFactory.ReturnStatement(SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression));
            }
        }

        return SyntaxFactory.ThrowStatement(
            SyntaxFactory.ObjectCreationExpression(SyntaxFactory.ParseTypeName("System.InvalidOperationException"))
                .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(
                        SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(failure)))))));
    }

    /// <summary>What a <c>return</c> in <paramref name="function"/> carries: <see langword="null"/> for none (void, Task, ValueTask).</summary>
    private static ITypeSymbol? ResultType(IMethodSymbol function, Compilation compilation)
    {
        if (function.ReturnsVoid)
        {
            return null;
        }

        var returnType = function.ReturnType;
        if (!function.IsAsync)
        {
            return returnType;
        }

        var task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        var valueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        if (SymbolEqualityComparer.Default.Equals(returnType, task) || SymbolEqualityComparer.Default.Equals(returnType, valueTask))
        {
            return null;
        }

        return returnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            ? generic.TypeArguments[0]
            : returnType;
    }

    private static bool IsIterator(SyntaxNode inside)
    {
        foreach (var ancestor in inside.Ancestors())
        {
            if (ancestor is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax)
            {
                foreach (var node in ancestor.DescendantNodes(n => n == ancestor || n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)))
                {
                    if (node is YieldStatementSyntax)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return false;
    }
}
