using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>An unconditional pin used as a statement: the call, its statement, its target and the pinned parameter (-1: the receiver).</summary>
internal sealed class PinCall
{
    public PinCall(InvocationExpressionSyntax invocation, ExpressionStatementSyntax statement, IMethodSymbol method, int ordinal)
    {
        Invocation = invocation;
        Statement = statement;
        Method = method;
        Ordinal = ordinal;
    }

    public InvocationExpressionSyntax Invocation { get; }

    public ExpressionStatementSyntax Statement { get; }

    public IMethodSymbol Method { get; }

    public int Ordinal { get; }
}
