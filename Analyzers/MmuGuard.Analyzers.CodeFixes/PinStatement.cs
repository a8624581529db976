using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>The statement that takes a pin, the value it pins, and the object whose method pinned it (if any).</summary>
internal sealed class PinStatement
{
    public PinStatement(StatementSyntax statement, PinnedValue value, ExpressionSyntax? receiver)
    {
        Statement = statement;
        Value = value;
        Receiver = receiver;
    }

    public StatementSyntax Statement { get; }

    public PinnedValue Value { get; }

    public ExpressionSyntax? Receiver { get; }
}
