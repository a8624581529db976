using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>The statement that takes a pin, the value it pins, and the object whose method pinned it (if any).</summary>
internal sealed record PinStatement(StatementSyntax Statement, PinnedValue Value, ExpressionSyntax? Receiver);
