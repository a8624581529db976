using System;
using System.Linq;
using System.Threading.Tasks;
using MmuGuard.Analyzers.Tests.Realistic.Suite;
using MmuGuard.Analyzers.Tests.Robustness;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Realistic;

/// <summary>
/// No analyzer throws on the realistic ports while they are being typed: every port is cut off halfway and, in a
/// second copy, has a few tokens deleted; all the broken copies are analysed in one compilation beside the intact KVM
/// API (each copy in its own namespace, so the copies do not collide).
/// </summary>
public sealed class RealisticRobustnessTests
{
    private const int Seed = 2021_22543;

    [Fact]
    public async Task No_analyzer_throws_on_cut_off_or_token_deleted_ports()
    {
        var cases = RealisticSuite.LoadCases();
        var api = cases.Where(c => c.Kind == CaseKind.Api).Select(c => (c.Name + ".cs", c.Source));
        var ports = cases.Where(c => c.Kind != CaseKind.Api).ToArray();
        var cut = ports.Select(c => (c.Name + ".cut.cs", Rename(SourceMutations.Truncations(c.Source, 1).Single(), "Cut")));
        var deleted = ports.Select(c => (c.Name + ".deleted.cs", Rename(SourceMutations.TokenDeletions(c.Source, 1, Seed ^ c.Source.Length).Single(), "Deleted")));

        var (_, exceptions) = await RealisticSuite.AnalyzeAsync(RealisticSuite.Compile(api.Concat(cut).Concat(deleted)));

        Assert.True(exceptions.Count == 0, string.Join(Environment.NewLine, exceptions));
    }

    [Fact]
    public async Task A_throwing_analyzer_is_caught_by_the_suite_harness()
    {
        var compilation = RealisticSuite.Compile(new[] { ("Empty.cs", "namespace Ports.Empty; class C { }") });

        var (_, exceptions) = await RealisticSuite.AnalyzeAsync(compilation, new ThrowingAnalyzer());

        Assert.NotEmpty(exceptions);
    }

    private static string Rename(string source, string copy) =>
        source.Replace("namespace Ports.", "namespace Ports." + copy + ".", StringComparison.Ordinal);
}
