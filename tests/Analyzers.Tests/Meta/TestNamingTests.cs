using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>Every test in the repository is named as one sentence with underscores between its words.</summary>
public sealed class TestNamingTests
{
    /// <summary>A <c>[Fact]</c> or <c>[Theory]</c> attribute list, then (after other attributes) the method's name.</summary>
    private static readonly Regex TestMethod = new(
        @"\[(?:Fact|Theory)\b[^\n]*\n(?:\s*\[[^\n]*\n)*\s*public\s+(?:async\s+)?(?:void|Task)\s+(?<name>\w+)\s*\(",
        RegexOptions.Compiled);

    [Fact]
    public void Every_test_name_is_a_sentence_with_underscores_between_its_words()
    {
        var misnamed = RepositoryTree.Files("tests", "*.cs")
            .Where(path => !RepositoryTree.Segments(path).Contains("Snapshots"))
            .SelectMany(path => TestMethod.Matches(File.ReadAllText(path)).Select(match => (Path: path, Name: match.Groups["name"].Value)))
            .Where(test => !test.Name.Contains('_', StringComparison.Ordinal) || !char.IsUpper(test.Name[0]))
            .Select(test => RepositoryTree.Relative(test.Path) + ": " + test.Name)
            .ToArray();
        Assert.True(misnamed.Length == 0, "Tests not named Like_this_sentence:\n" + string.Join("\n", misnamed));
    }

    [Fact]
    public void The_naming_check_finds_the_tests_it_judges()
    {
        var source = File.ReadAllText(RepositoryRoot.PathOf("tests", "Analyzers.Tests", "Meta", "TestNamingTests.cs"));
        var names = TestMethod.Matches(source).Select(match => match.Groups["name"].Value).ToArray();
        Assert.Contains(nameof(Every_test_name_is_a_sentence_with_underscores_between_its_words), names);
        Assert.Contains(nameof(The_naming_check_finds_the_tests_it_judges), names);
    }
}
