using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>
/// Replacing a statement that is the body of an <c>if</c>, <c>else</c>, loop, <c>using</c>, <c>lock</c> or label:
/// the replacement goes into a block of its own, since a bare <c>if</c> there would take over the outer
/// <c>else</c> (<c>if (c) if (!TryPin(p)) { return; } else Log();</c>) and several statements would leave the body.
/// </summary>
internal static class EmbeddedStatement
{
    /// <summary>Whether <paramref name="statement"/> sits in a statement list, where statements may be added beside it.</summary>
    public static bool IsInList(StatementSyntax statement) => statement.Parent is BlockSyntax or SwitchSectionSyntax;

    /// <summary><paramref name="statements"/> as one statement that can stand where <paramref name="replaced"/> stands.</summary>
    public static StatementSyntax InPlaceOf(StatementSyntax replaced, params StatementSyntax[] statements)
    {
        if (IsInList(replaced) && statements.Length == 1)
        {
            return StatementSpacing.ReplacingWithBlock(replaced, statements[0]);
        }

        var block = SyntaxFactory.Block(statements).WithAdditionalAnnotations(Formatter.Annotation);
        return block.WithLeadingTrivia(replaced.GetLeadingTrivia()).WithTrailingTrivia(replaced.GetTrailingTrivia());
    }
}
