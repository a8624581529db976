using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>An unconditional pin used as a statement: the call, its statement, its target and the pinned parameter (-1: the receiver).</summary>
internal sealed record PinCall(InvocationExpressionSyntax Invocation, ExpressionStatementSyntax Statement, IMethodSymbol Method, int Ordinal);
