using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// Where a path leaves one graph, in the source the user wrote: the <c>return</c> keyword of a return with a value,
/// the <c>return</c> of a void <c>return;</c> (or <c>yield break;</c>), the closing brace of a body that is fallen off, or the expression of
/// an expression body. MMU0005 reports a pin leaked on a path at the exit that path takes, where the user must act.
/// </summary>
/// <remarks>
/// The control-flow graph links a void <c>return;</c> to the exit block like falling off the end (both are regular
/// branches without a value), so such an exit is found from the syntax after the branch's last operation: the
/// statement that runs next when no other statement follows. An exit that cannot be placed is the body's end.
/// </remarks>
internal sealed class ExitLocations
{
    private readonly ControlFlowGraph _graph;
    private readonly Dictionary<ControlFlowBranch, Location> _cache = new();
    private Location? _end;

    public ExitLocations(ControlFlowGraph graph)
    {
        _graph = graph;
    }

    /// <summary>Whether <paramref name="branch"/> leaves the graph normally (to its exit block).</summary>
    public static bool LeavesBody(ControlFlowBranch branch) => branch.Destination is { Kind: BasicBlockKind.Exit };

    /// <summary>The location of the exit <paramref name="branch"/> (a branch to the exit block) takes.</summary>
    public Location Of(ControlFlowBranch branch)
    {
        if (!_cache.TryGetValue(branch, out var location))
        {
            location = Locate(branch) ?? End();
            _cache[branch] = location;
        }

        return location;
    }

    private Location? Locate(ControlFlowBranch branch)
    {
        var source = branch.Source;
        if (branch.Semantics == ControlFlowBranchSemantics.Return && source.BranchValue is { } returned)
        {
            return ReturnOf(returned.Syntax);
        }

        if (source.ConditionKind != ControlFlowConditionKind.None && source.BranchValue is { } condition)
        {
            // The body of `if (c) return;` is the fall-through edge; the other edge skips the statement.
            var ifStatement = condition.Syntax.FirstAncestorOrSelf<IfStatementSyntax>();
            if (ifStatement is not null && ifStatement.Condition.Span.Contains(condition.Syntax.Span))
            {
                return ReferenceEquals(branch, source.FallThroughSuccessor)
                    ? VoidReturn(FirstStatement(ifStatement.Statement))
                    : VoidReturn(NextStatement(ifStatement));
            }

            return null;
        }

        if (source.Operations.IsEmpty)
        {
            return null;
        }

        var last = source.Operations[source.Operations.Length - 1].Syntax;
        var statement = last.FirstAncestorOrSelf<StatementSyntax>();
        return statement is null ? null : VoidReturn(NextStatement(statement));
    }

    private static Location ReturnOf(SyntaxNode returned)
    {
        var parent = returned.Parent;
        while (parent is ParenthesizedExpressionSyntax or CheckedExpressionSyntax)
        {
            parent = parent.Parent;
        }

        return parent is ReturnStatementSyntax statement ? statement.ReturnKeyword.GetLocation() : returned.GetLocation();
    }

    private static Location? VoidReturn(StatementSyntax? statement) =>
        statement switch
        {
            ReturnStatementSyntax { Expression: null } voidReturn => voidReturn.ReturnKeyword.GetLocation(),
            YieldStatementSyntax yieldBreak when yieldBreak.IsKind(SyntaxKind.YieldBreakStatement) => yieldBreak.YieldKeyword.GetLocation(),
            _ => null,
        };

    private static StatementSyntax? FirstStatement(StatementSyntax statement)
    {
        while (statement is BlockSyntax block)
        {
            if (block.Statements.Count == 0)
            {
                return null;
            }

            statement = block.Statements[0];
        }

        return statement;
    }

    /// <summary>The statement that runs after <paramref name="statement"/> completes normally, when it is a sibling (or an outer block's).</summary>
    private static StatementSyntax? NextStatement(StatementSyntax statement)
    {
        SyntaxNode current = statement;
        while (true)
        {
            switch (current.Parent)
            {
                case BlockSyntax block:
                    var index = block.Statements.IndexOf((StatementSyntax)current);
                    if (index >= 0 && index + 1 < block.Statements.Count)
                    {
                        return FirstStatement(block.Statements[index + 1]);
                    }

                    current = block;
                    break;
                case ElseClauseSyntax { Parent: IfStatementSyntax ifStatement }:
                    current = ifStatement;
                    break;
                case IfStatementSyntax or LabeledStatementSyntax or UsingStatementSyntax or LockStatementSyntax
                    or FixedStatementSyntax or CheckedStatementSyntax or UnsafeStatementSyntax:
                    current = current.Parent;
                    break;
                case TryStatementSyntax tryStatement when current == tryStatement.Block:
                    current = tryStatement;
                    break;
                default:
                    return null;
            }
        }
    }

    /// <summary>The end of the body: its closing brace, or an expression body's expression.</summary>
    private Location End()
    {
        if (_end is null)
        {
            var syntax = _graph.OriginalOperation.Syntax;
            _end = syntax switch
            {
                BlockSyntax block => block.CloseBraceToken.GetLocation(),
                BaseMethodDeclarationSyntax { Body: { } body } => body.CloseBraceToken.GetLocation(),
                BaseMethodDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression.GetLocation(),
                AccessorDeclarationSyntax { Body: { } body } => body.CloseBraceToken.GetLocation(),
                AccessorDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression.GetLocation(),
                LocalFunctionStatementSyntax { ExpressionBody: { } arrow } => arrow.Expression.GetLocation(),
                LocalFunctionStatementSyntax { Body: { } body } => body.CloseBraceToken.GetLocation(),
                AnonymousFunctionExpressionSyntax { Block: { } body } => body.CloseBraceToken.GetLocation(),
                AnonymousFunctionExpressionSyntax { ExpressionBody: { } expression } => expression.GetLocation(),
                ArrowExpressionClauseSyntax arrow => arrow.Expression.GetLocation(),
                _ => syntax.GetLastToken().GetLocation(),
            };
        }

        return _end;
    }
}
