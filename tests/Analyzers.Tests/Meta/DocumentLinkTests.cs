using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>The documentation and the product sources cite only documents the repository has.</summary>
public sealed class DocumentLinkTests
{
    private static readonly Regex MarkdownLink = new(@"\]\((?<target>[^)\s]+)\)", RegexOptions.Compiled);

    /// <summary>A repository path to a Markdown page written in code or prose: <c>docs/rules/MMU0001.md</c>.</summary>
    private static readonly Regex CitedPage = new(@"(?<![\w/.-])(?<path>docs/[\w./-]+\.md)\b", RegexOptions.Compiled);

    [Fact]
    public void Every_relative_link_in_the_docs_names_a_file_that_exists()
    {
        var broken = new List<string>();
        foreach (var page in MarkdownPages())
        {
            var text = File.ReadAllText(page);
            foreach (Match link in MarkdownLink.Matches(text))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("#", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, target.Split('#')[0]));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add(Relative(page) + " -> " + target);
                }
            }
        }

        Assert.True(broken.Count == 0, "Links to nothing:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void Every_docs_page_cited_by_path_exists()
    {
        var missing = new List<string>();
        foreach (var file in MarkdownPages().Concat(ProductSources()))
        {
            foreach (Match cited in CitedPage.Matches(File.ReadAllText(file)))
            {
                if (!File.Exists(RepositoryRoot.PathOf(cited.Groups["path"].Value.Split('/'))))
                {
                    missing.Add(Relative(file) + " cites " + cited.Groups["path"].Value);
                }
            }
        }

        Assert.True(missing.Count == 0, "Cited pages the repository does not have:\n" + string.Join("\n", missing));
    }

    private static IEnumerable<string> MarkdownPages() =>
        new[] { RepositoryRoot.PathOf("README.md"), RepositoryRoot.PathOf("Runtime", "PACKAGE.md") }
            .Concat(Directory.EnumerateFiles(RepositoryRoot.PathOf("docs"), "*.md", SearchOption.AllDirectories));

    private static IEnumerable<string> ProductSources() =>
        new[] { "Analyzers", "Generators", "Runtime", "Samples" }
            .SelectMany(folder => Directory.EnumerateFiles(RepositoryRoot.PathOf(folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !IsBuildOutput(path));

    private static bool IsBuildOutput(string path)
    {
        var segments = Relative(path).Split('/');
        return segments.Contains("bin") || segments.Contains("obj");
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/');
}
