using System.Linq;
using MmuGuard.Generators.Tests.Infrastructure;
using MmuGuard.Generators.Tests.Inputs;
using Xunit;

namespace MmuGuard.Generators.Tests;

/// <summary>The generated source of every representative input, compared with its verified snapshot.</summary>
public sealed class GeneratedSourceSnapshotTests
{
    [Fact]
    public void SinglePinnedMember() => Verify(RepresentativeInputs.SinglePinnedMember);

    [Fact]
    public void Vmcs02Pages() => Verify(RepresentativeInputs.Vmcs02Pages);

    [Fact]
    public void PfnCache() => Verify(RepresentativeInputs.PfnCache);

    [Fact]
    public void PinnedAndCovered() => Verify(RepresentativeInputs.PinnedAndCovered);

    [Fact]
    public void StructInGlobalNamespace() => Verify(RepresentativeInputs.StructInGlobalNamespace);

    [Fact]
    public void NestedPartialTypes() => Verify(RepresentativeInputs.NestedPartialTypes);

    [Fact]
    public void NestedInRecord() => Verify(RepresentativeInputs.NestedInRecord);

    [Fact]
    public void SplitAcrossFiles() => Verify(RepresentativeInputs.SplitAcrossFiles);

    private static void Verify(GeneratorInput input, [System.Runtime.CompilerServices.CallerMemberName] string testMethod = "")
    {
        var generated = GeneratorHarness.Run(input.Sources).GeneratedSources.Single();
        SnapshotAssert.Matches(generated.SourceText.ToString(), generated.HintName, testMethod: testMethod);
    }
}
