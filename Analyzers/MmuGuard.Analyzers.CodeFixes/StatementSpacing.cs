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

    /// <summary>The indentation <paramref name="statement"/> starts with, for a statement inserted before it.</summary>
    public static SyntaxTriviaList IndentationOf(StatementSyntax statement)
    {
        var leading = statement.GetLeadingTrivia();
        return leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading[leading.Count - 1])
            : SyntaxFactory.TriviaList();
    }

    /// <summary>A line break as <paramref name="statement"/> writes it (<c>\n</c> when it ends without one).</summary>
    public static SyntaxTrivia NewLineOf(StatementSyntax statement)
    {
        foreach (var trivia in statement.GetTrailingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return SyntaxFactory.EndOfLine("\n");
    }
}
