using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MmuGuard.Analyzers.Tests.Meta;
using MmuGuard.Tests.Shared;

namespace MmuGuard.Analyzers.Tests.Docs;

/// <summary>The Markdown a consumer reads: the README, every page under docs/, and the package's own readme.</summary>
internal static class DocumentationPages
{
    public const string PackageReadme = "Runtime/PACKAGE.md";

    public static IReadOnlyList<string> All { get; } = new[] { "README.md", PackageReadme }
        .Concat(Directory.EnumerateFiles(RepositoryRoot.PathOf("docs"), "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/')))
        .OrderBy(page => page, StringComparer.Ordinal)
        .ToArray();

    public static IReadOnlyList<DocumentationBlock> Blocks { get; } = All
        .SelectMany(page => MarkdownCSharpBlocks.Read(page, File.ReadAllText(RepositoryRoot.PathOf(page.Split('/')))))
        .ToArray();

    /// <summary>One row per block, by location, for <c>[MemberData]</c>.</summary>
    public static IEnumerable<object[]> CompiledBlockLocations() => Blocks
        .Where(block => block.Reading.Kind != BlockKind.Fragment)
        .Select(block => new object[] { block.Location });
}
