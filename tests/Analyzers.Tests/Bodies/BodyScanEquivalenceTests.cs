using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MmuGuard.Analyzers.Bodies;
using MmuGuard.Analyzers.Tests.Robustness;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Bodies;

/// <summary>
/// The pre-filter's token scan walks child lists with its own stack, for speed (docs/benchmarks.md, session 5). It must
/// answer exactly as the plain reading of docs/design/bodies.md does (every token of <c>DescendantTokens()</c>: an
/// identifier's <c>ValueText</c> among the names, a token of a listed kind, or an attribute list's <c>[</c>), on every
/// body of every snippet the analyzer tests compile and of every realistic KVM port, for vocabularies that hit each rule.
/// </summary>
public sealed class BodyScanEquivalenceTests
{
    private static readonly (string Name, ImmutableHashSet<string> Names, ImmutableHashSet<SyntaxKind> Tokens, BodyFilter Filter)[] Vocabularies =
    {
        Vocabulary("names and new", new[] { "Pin", "Unpin", "GetUserPages", "Map" }, SyntaxKind.NewKeyword, SyntaxKind.ThisKeyword, SyntaxKind.BaseKeyword),
        Vocabulary("indexers", Array.Empty<string>(), SyntaxKind.OpenBracketToken),
        Vocabulary("implicit calls", new[] { "Dispose" }, SyntaxKind.UsingKeyword, SyntaxKind.ForEachKeyword, SyntaxKind.AwaitKeyword, SyntaxKind.FromKeyword),
        Vocabulary("common names", new[] { "Value", "Release", "Install", "pfn" }),
        Vocabulary("nothing", Array.Empty<string>()),
    };

    [Fact]
    public void Scan_answers_as_every_descendant_token_would_on_every_test_body()
    {
        var bodies = 0;
        var admitted = new int[Vocabularies.Length];
        var ports = System.IO.Directory.EnumerateFiles(MmuGuard.Tests.Shared.RepositoryRoot.PathOf("tests", "Analyzers.Tests", "Realistic"), "*.cs.txt", System.IO.SearchOption.AllDirectories)
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (System.IO.Path.GetFileName(path), System.IO.File.ReadAllText(path)));
        foreach (var (name, text) in TestSourceCorpus.Snippets.Concat(ports))
        {
            var root = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest)).GetRoot();
            foreach (var block in root.DescendantNodes().Where(node => node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax))
            {
                foreach (var executable in ExecutableCode.Of(block))
                {
                    bodies++;
                    for (var i = 0; i < Vocabularies.Length; i++)
                    {
                        var (vocabulary, names, tokens, filter) = Vocabularies[i];
                        var expected = ReadAsDocumented(names, tokens, executable);
                        Assert.True(
                            expected == filter.Reaches(executable),
                            $"{name}, vocabulary '{vocabulary}': the scan says {!expected} where every descendant token says {expected} for\n{executable}");
                        admitted[i] += expected ? 1 : 0;
                    }
                }
            }
        }

        // The comparison means something only if the corpus is large and each vocabulary both admits and refuses.
        Assert.True(bodies > 1_000, $"only {bodies} bodies in the test snippets and ports");
        // "nothing" admits only the bodies that declare an attribute list of their own (a lambda's or local function's).
        for (var i = 0; i < Vocabularies.Length; i++)
        {
            Assert.InRange(admitted[i], 1, bodies - 1);
        }
    }

    [Fact]
    public void Scan_of_a_deeply_nested_expression_does_not_recurse()
    {
        // 20,000 additions parse to a left-leaning tree 20,000 levels deep: a recursive walk would need a frame per level.
        var expression = string.Concat(Enumerable.Repeat("1 + ", 20_000)) + "Pin()";
        var root = CSharpSyntaxTree.ParseText($"class C {{ int M() => {expression}; }}").GetRoot();
        var body = root.DescendantNodes().OfType<ArrowExpressionClauseSyntax>().Single();
        Assert.True(Vocabularies[0].Filter.Reaches(body));
        Assert.False(Vocabularies[1].Filter.Reaches(body));
    }

    private static (string, ImmutableHashSet<string>, ImmutableHashSet<SyntaxKind>, BodyFilter) Vocabulary(string name, IEnumerable<string> simpleNames, params SyntaxKind[] kinds)
    {
        var names = ImmutableHashSet.CreateRange(StringComparer.Ordinal, simpleNames);
        var tokens = ImmutableHashSet.CreateRange(kinds);
        return (name, names, tokens, new BodyFilter(names, tokens, everyBody: false, constructors: false));
    }

    /// <summary>docs/design/bodies.md, read literally: rules 2 to 4 over every token the node holds.</summary>
    private static bool ReadAsDocumented(ImmutableHashSet<string> names, ImmutableHashSet<SyntaxKind> tokens, SyntaxNode node) =>
        node.DescendantTokens().Any(token => token.IsKind(SyntaxKind.IdentifierToken)
            ? names.Contains(token.ValueText)
            : tokens.Contains(token.Kind()) || (token.IsKind(SyntaxKind.OpenBracketToken) && token.Parent is AttributeListSyntax));
}
