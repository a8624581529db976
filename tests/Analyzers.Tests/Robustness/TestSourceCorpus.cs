using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MmuGuard.Analyzers.Tests.Meta;
using MmuGuard.Tests.Shared;

namespace MmuGuard.Analyzers.Tests.Robustness;

/// <summary>
/// Every C# snippet the analyzer tests compile (string literals in tests/Analyzers.Tests that declare a type), with
/// the diagnostic markup removed: the realistic KVM ports, every rule's buggy and fixed shapes, and the fixers' inputs.
/// Collected from the test files themselves so that a new test is a new robustness input without anyone listing it.
/// </summary>
internal static class TestSourceCorpus
{
    private static readonly Regex Markup = new(@"\{\|[^:|{}]*:|\|\}|\[\||\|\]", RegexOptions.Compiled);

    public static IReadOnlyList<(string Name, string Text)> Snippets { get; } = Collect();

    private static (string Name, string Text)[] Collect()
    {
        var directory = RepositoryRoot.PathOf("tests", "Analyzers.Tests");
        var snippets = new List<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }

            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            var index = 0;
            foreach (var token in root.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)
                    || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
                {
                    var text = token.ValueText;
                    if (text.Length > 40 && (text.Contains("class ", StringComparison.Ordinal) || text.Contains("struct ", StringComparison.Ordinal)))
                    {
                        snippets.Add((relative + "#" + index++, Markup.Replace(text, string.Empty)));
                    }
                }
            }
        }

        return snippets.ToArray();
    }
}
