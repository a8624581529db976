using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>
/// How the statements after a pin divide around the <c>try</c>/<c>finally</c> that releases it: those that move
/// into the <c>try</c>, and those that must stay after it. A label that a <c>goto</c> from outside targets cannot
/// move (C# cannot jump into a <c>try</c>), so the <c>try</c> ends before it and the labelled tail stays after; a
/// local function that code outside calls stays after too, to remain in scope. What stays after may not use the
/// pinned value (it would run after the release) nor a local declared in the <c>try</c>.
/// </summary>
/// <param name="Guarded">The statements that go into the <c>try</c>, in order.</param>
/// <param name="After">The statements that stay after the <c>try</c>, in order.</param>
internal sealed record GuardedRange(ImmutableArray<StatementSyntax> Guarded, ImmutableArray<StatementSyntax> After)
{
    /// <summary>The split of the statements after <paramref name="pin"/> in <paramref name="block"/>, or <see langword="null"/> when none is sound.</summary>
    public static GuardedRange? Of(BlockSyntax block, StatementSyntax pin, PinnedValue value, SemanticModel model, CancellationToken cancellationToken)
    {
        var rest = block.Statements.Skip(block.Statements.IndexOf(pin) + 1).ToImmutableArray();
        if (rest.IsEmpty)
        {
            return new GuardedRange(rest, rest);
        }

        var restSpan = TextSpan.FromBounds(rest[0].SpanStart, rest[rest.Length - 1].Span.End);
        var function = block.Ancestors().FirstOrDefault(ancestor => ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax) ?? block;
        var tail = rest.Length;
        foreach (var jump in function.DescendantNodes().OfType<GotoStatementSyntax>())
        {
            if (restSpan.Contains(jump.Span) || jump.Expression is not IdentifierNameSyntax target)
            {
                continue;
            }

            // A label nested in one of these statements is out of a goto's reach from outside them.
            var labelled = IndexOfLabel(rest, target.Identifier.ValueText);
            if (labelled < 0)
            {
                continue;
            }

            tail = System.Math.Min(tail, labelled);
        }

        var after = rest.Skip(tail).ToList();
        var guarded = new List<StatementSyntax>();
        foreach (var statement in rest.Take(tail))
        {
            if (statement is LocalFunctionStatementSyntax local && IsCalledOutside(local, restSpan, model, cancellationToken))
            {
                after.Insert(0, statement);
            }
            else
            {
                guarded.Add(statement);
            }
        }

        return after.Any(statement => Uses(statement, guarded, value, model, cancellationToken))
            ? null
            : new GuardedRange(guarded.ToImmutableArray(), after.OrderBy(statement => statement.SpanStart).ToImmutableArray());
    }

    private static int IndexOfLabel(ImmutableArray<StatementSyntax> statements, string label)
    {
        for (var i = 0; i < statements.Length; i++)
        {
            if (statements[i] is LabeledStatementSyntax labelled && labelled.Identifier.ValueText == label)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsCalledOutside(LocalFunctionStatementSyntax function, TextSpan rest, SemanticModel model, CancellationToken cancellationToken)
    {
        var symbol = model.GetDeclaredSymbol(function, cancellationToken);
        return function.SyntaxTree.GetRoot(cancellationToken).DescendantNodes().OfType<IdentifierNameSyntax>().Any(name =>
            !rest.Contains(name.Span)
            && name.Identifier.ValueText == function.Identifier.ValueText
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, symbol));
    }

    /// <summary>Whether <paramref name="statement"/> reads the pinned value or a local declared in <paramref name="guarded"/>.</summary>
    private static bool Uses(StatementSyntax statement, List<StatementSyntax> guarded, PinnedValue value, SemanticModel model, CancellationToken cancellationToken) =>
        statement.DescendantNodes().OfType<IdentifierNameSyntax>().Any(name =>
            model.GetSymbolInfo(name, cancellationToken).Symbol is { } symbol
            && (value.Is(symbol)
                || symbol is ILocalSymbol local && local.DeclaringSyntaxReferences.Any(reference =>
                    guarded.Any(moved => moved.Span.Contains(reference.Span)))));
}
