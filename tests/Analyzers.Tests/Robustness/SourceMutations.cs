using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MmuGuard.Analyzers.Tests.Robustness;

/// <summary>Deterministic ways to break a source: cut it off, or delete a few tokens, as an editor does mid-typing.</summary>
internal static class SourceMutations
{
    /// <summary>The source cut at <paramref name="cuts"/> evenly spaced token boundaries.</summary>
    public static IEnumerable<string> Truncations(string source, int cuts)
    {
        var tokens = Tokens(source);
        for (var i = 1; i <= cuts && tokens.Count > 0; i++)
        {
            var keep = tokens.Count * i / (cuts + 1);
            yield return source.Substring(0, tokens[keep].SpanStart);
        }
    }

    /// <summary><paramref name="variants"/> copies, each with 1 to 4 tokens deleted at seeded random places.</summary>
    public static IEnumerable<string> TokenDeletions(string source, int variants, int seed)
    {
        var tokens = Tokens(source);
        var random = new Random(seed);
        for (var v = 0; v < variants && tokens.Count > 1; v++)
        {
            var doomed = new HashSet<int>();
            var count = random.Next(1, 5);
            while (doomed.Count < Math.Min(count, tokens.Count))
            {
                doomed.Add(random.Next(tokens.Count));
            }

            var text = new StringBuilder(source.Length);
            var position = 0;
            foreach (var index in doomed.OrderBy(i => i))
            {
                var span = tokens[index].Span;
                text.Append(source, position, span.Start - position);
                position = span.End;
            }

            text.Append(source, position, source.Length - position);
            yield return text.ToString();
        }
    }

    private static IReadOnlyList<SyntaxToken> Tokens(string source) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).ToArray();
}
