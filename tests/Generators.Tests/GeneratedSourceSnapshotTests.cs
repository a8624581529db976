using System.Linq;
using MmuGuard.Generators.Tests.Infrastructure;
using MmuGuard.Generators.Tests.Inputs;
using Xunit;

namespace MmuGuard.Generators.Tests;

/// <summary>The generated source of every representative input, compared with its verified snapshot.</summary>
public sealed class GeneratedSourceSnapshotTests
{
    [Fact]
    public void Single_pinned_member_matches_its_snapshot() => Verify(RepresentativeInputs.SinglePinnedMember);

    [Fact]
    public void Vmcs02_pages_matches_its_snapshot() => Verify(RepresentativeInputs.Vmcs02Pages);

    [Fact]
    public void Pfn_cache_matches_its_snapshot() => Verify(RepresentativeInputs.PfnCache);

    [Fact]
    public void Pinned_and_covered_matches_its_snapshot() => Verify(RepresentativeInputs.PinnedAndCovered);

    [Fact]
    public void Struct_in_global_namespace_matches_its_snapshot() => Verify(RepresentativeInputs.StructInGlobalNamespace);

    [Fact]
    public void Nested_partial_types_matches_its_snapshot() => Verify(RepresentativeInputs.NestedPartialTypes);

    [Fact]
    public void Nested_in_record_matches_its_snapshot() => Verify(RepresentativeInputs.NestedInRecord);

    [Fact]
    public void Split_across_files_matches_its_snapshot() => Verify(RepresentativeInputs.SplitAcrossFiles);

    /// <summary>Compares the output against <c>Snapshots/GeneratedSourceSnapshotTests.{input name}#{hint}.verified.cs</c>.</summary>
    private static void Verify(GeneratorInput input)
    {
        var generated = GeneratorHarness.Run(input.Sources).GeneratedSources.Single();
        SnapshotAssert.Matches(generated.SourceText.ToString(), generated.HintName, testMethod: input.Name);
    }
}
