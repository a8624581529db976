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
    private readonly ImmutableHashSet<string> _names;
    private readonly ImmutableHashSet<SyntaxKind> _tokens;

    /// <summary>The answer for each code block scanned so far (the filter lives as long as its compilation).</summary>
    private readonly ConcurrentDictionary<SyntaxNode, bool> _scanned = new();

    public BodyFilter(ImmutableHashSet<string> names, ImmutableHashSet<SyntaxKind> tokens, bool everyBody, bool constructors)
    {
        _names = names;
        _tokens = tokens;
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
    public ImmutableHashSet<string> Names => _names;

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
            if (Admits(node))
            {
                admitted = true;
                break;
            }
        }

        _scanned.TryAdd(codeBlock, admitted);
        return admitted;
    }

    private bool Admits(SyntaxNode node)
    {
        foreach (var token in node.DescendantTokens())
        {
            var kind = token.Kind();
            if (kind == SyntaxKind.IdentifierToken)
            {
                // Contextual keywords where they act (`from` in a query, `await` in an async body) carry their own kind.
                // ValueText undoes @-escapes and Unicode escapes, so `@Pin` and `\u0050in` count as `Pin`.
                if (_names.Contains(token.ValueText))
                {
                    return true;
                }
            }
            else if (_tokens.Contains(kind) || (kind == SyntaxKind.OpenBracketToken && token.Parent is AttributeListSyntax))
            {
                return true;
            }
        }

        return false;
    }
}
