using System.Threading.Tasks;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Rules.Inference;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Inference;

/// <summary>The fix of MMU0023–MMU0025: the parameter gets the attribute its body proves.</summary>
public sealed class InferredContractFixerTests
{
    private static Task VerifyAsync(string members, string fixedMembers) =>
        FixVerifier<ParameterContractInferenceAnalyzer, InferredContractFixer>.VerifyAsync(InferenceWorld.Sim(members), InferenceWorld.Sim(fixedMembers));

    [Fact]
    public Task Released_parameter_is_marked_releases_pin() => VerifyAsync(@"
    public void Drop(Pfn {|MMU0023:pfn|}) => _mm.Put(pfn);
", @"
    public void Drop([ReleasesPin] Pfn pfn) => _mm.Put(pfn);
");

    [Fact]
    public Task Existing_parameter_attributes_are_kept() => VerifyAsync(@"
    public void Give([System.Diagnostics.CodeAnalysis.NotNull] Pfn {|MMU0024:pfn|}) => _mm.Adopt(pfn);
", @"
    public void Give([System.Diagnostics.CodeAnalysis.NotNull][TakesPinOwnership] Pfn pfn) => _mm.Adopt(pfn);
");

    [Fact]
    public Task Fix_all_writes_each_parameter_its_own_contract() => VerifyAsync(@"
    public void Drop(Pfn {|MMU0023:pfn|}) => _mm.Put(pfn);

    public void Give(Pfn {|MMU0024:pfn|}) => _mm.Adopt(pfn);

    public void Touch(Pfn {|MMU0025:pfn|}) => _mm.MarkDirty(pfn);
", @"
    public void Drop([ReleasesPin] Pfn pfn) => _mm.Put(pfn);

    public void Give([TakesPinOwnership] Pfn pfn) => _mm.Adopt(pfn);

    public void Touch([RequiresPin] Pfn pfn) => _mm.MarkDirty(pfn);
");
}
