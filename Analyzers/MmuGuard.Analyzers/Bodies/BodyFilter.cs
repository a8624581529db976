using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.Bodies;

/// <summary>
/// Decides from syntax alone whether a body can reach a member that carries what an analyzer looks for: the body
/// names one of those members (an identifier token with its simple name), or holds a token through which C# calls a
/// member without naming it (<c>new</c> for a constructor, <c>[</c> for an indexer, <c>using</c> for
/// <c>Dispose</c>, …), or declares an attribute of its own (a lambda or local function parameter with a contract).
/// Only the bodies it admits are bound (docs/design/bodies.md).
/// </summary>
internal sealed class BodyFilter
{
    /// <summary>The simple names, in a hash set: read-only after construction, so safe to read from any thread, and a lookup is one hash, not a tree search.</summary>
    private readonly HashSet<string> _names;

    /// <summary>The token kinds that reach a member without naming it; a handful, so a linear search is the fastest.</summary>
    private readonly int[] _tokens;

    /// <summary>The answer for each code block scanned so far (the filter lives as long as its compilation).</summary>
    private readonly ConcurrentDictionary<SyntaxNode, bool> _scanned = new();

    public BodyFilter(ImmutableHashSet<string> names, ImmutableHashSet<SyntaxKind> tokens, bool everyBody, bool constructors)
    {
        _names = new HashSet<string>(names, System.StringComparer.Ordinal);
        _tokens = new int[tokens.Count];
        var index = 0;
        foreach (var kind in tokens)
        {
            _tokens[index++] = (int)kind;
        }

        EveryBody = everyBody;
        Constructors = constructors;
    }

    /// <summary>
    /// A member is reached in a way no token shows (a user-defined operator or conversion, a delegate's
    /// <c>Invoke</c>, <c>Deconstruct</c>, an interpolated-string handler): every body is admitted.
    /// </summary>
    public bool EveryBody { get; }

    /// <summary>A constructor carries the vocabulary, so every constructor body (which may call it implicitly through <c>base()</c>) is admitted.</summary>
    public bool Constructors { get; }

    /// <summary>The simple names this filter looks for (tests and the benchmark read them).</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>
    /// Whether the code block <paramref name="codeBlock"/>, whose executable code is <paramref name="executable"/>, may
    /// reach the vocabulary. The answer is kept per code block, so the analyzers that share this filter (the flow host,
    /// MMU0016 and the inference rules share the contracts') scan each body's tokens once between them.
    /// </summary>
    public bool Admits(ISymbol? owningSymbol, SyntaxNode codeBlock, ImmutableArray<SyntaxNode> executable)
    {
        if (EveryBody || (Constructors && owningSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor }))
        {
            return true;
        }

        if (_scanned.TryGetValue(codeBlock, out var admitted))
        {
            return admitted;
        }

        admitted = false;
        foreach (var node in executable)
        {
            if (Reaches(node))
            {
                admitted = true;
                break;
            }
        }

        _scanned.TryAdd(codeBlock, admitted);
        return admitted;
    }

    /// <summary>
    /// Every token under <paramref name="node"/> (trivia excluded, as <c>DescendantTokens()</c> has it), walked with an
    /// explicit stack of child lists: no iterator per level, no span tests, no recursion however deep the expression.
    /// Not kept per node; <see cref="Admits(ISymbol?, SyntaxNode, ImmutableArray{SyntaxNode})"/> keeps its answers per code block.
    /// </summary>
    internal bool Reaches(SyntaxNode node)
    {
        var pending = new Stack<SyntaxNode>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            foreach (var child in pending.Pop().ChildNodesAndTokens())
            {
                if (child.AsNode() is { } inner)
                {
                    pending.Push(inner);
                }
                else if (Admits(child.AsToken()))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool Admits(SyntaxToken token)
    {
        var kind = token.RawKind;
        if (kind == (int)SyntaxKind.IdentifierToken)
        {
            // Contextual keywords where they act (`from` in a query, `await` in an async body) carry their own kind.
            // ValueText undoes @-escapes and Unicode escapes, so `@Pin` and `\u0050in` count as `Pin`.
            return _names.Contains(token.ValueText);
        }

        foreach (var wanted in _tokens)
        {
            if (kind == wanted)
            {
                return true;
            }
        }

        return kind == (int)SyntaxKind.OpenBracketToken && token.Parent is AttributeListSyntax;
    }
}
