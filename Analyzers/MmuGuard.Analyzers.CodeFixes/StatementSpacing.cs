using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>Keeps the house style around inserted blocks: a blank line after a block that other statements follow.</summary>
internal static class StatementSpacing
{
    /// <summary><paramref name="block"/> with <paramref name="replaced"/>'s trivia, plus a blank line when a statement follows.</summary>
    public static StatementSyntax ReplacingWithBlock(StatementSyntax replaced, StatementSyntax block)
    {
        var trailing = replaced.GetTrailingTrivia();
        var placed = block.WithLeadingTrivia(replaced.GetLeadingTrivia()).WithTrailingTrivia(trailing);
        if (!IsFollowed(replaced) || trailing.Count == 0 || !trailing[trailing.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia))
        {
            return placed;
        }

        return placed.WithTrailingTrivia(trailing.Add(trailing[trailing.Count - 1]));
    }

    private static bool IsFollowed(StatementSyntax statement) =>
        statement.Parent is BlockSyntax parent && parent.Statements.IndexOf(statement) < parent.Statements.Count - 1;
}
