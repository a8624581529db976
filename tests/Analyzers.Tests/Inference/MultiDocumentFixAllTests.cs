using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using MmuGuard.Analyzers.Tests.Inference.Adoption;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Inference;

/// <summary>
/// Fix All of the inference rules across a solution, as <c>dotnet format analyzers --diagnostics MMU0016 MMU0023
/// MMU0024 MMU0025 MMU0026</c> runs it: every document annotated in one run, and the result compiles and is clean.
/// </summary>
public sealed class MultiDocumentFixAllTests
{
    private const string Helpers = @"using MmuGuard;

public sealed class Helpers
{
    private readonly Mm _mm = new Mm();

    public Pfn Resolve(ulong hva) => _mm.GetUserPages(hva);

    public void Peek(ulong hva, out Pfn pfn) => pfn = _mm.FollowPte(hva);

    public void Drop(Pfn pfn) => _mm.Put(pfn);
}
";

    private const string Mappings = @"using MmuGuard;

public sealed class ApicPage
{
    [Pinned] private readonly Pfn _page;

    public ApicPage(Pfn page) { _page = page; }
}

public sealed class Marks
{
    private readonly Mm _mm = new Mm();

    public void Touch(Pfn pfn) => _mm.MarkDirty(pfn);
}
";

    private const string Cache = @"using MmuGuard;

public interface IMmuNotifier { void InvalidateRangeStart(ulong start, ulong end); }

public sealed class PfnCache : IMmuNotifier
{
    private readonly Mm _mm = new Mm();
    private bool _valid;
    private Pfn _pfn;

    public void Refresh(ulong hva)
    {
        var seq = _mm.InvalidateSeq();
        var pfn = _mm.FollowPte(hva);
        if (_mm.InvalidateRetry(seq)) return;
        _pfn = pfn;
        _valid = true;
    }

    public void InvalidateRangeStart(ulong start, ulong end) { _valid = false; }
}
";

    private static InferenceFixpoint Solution(params (string Path, string Text)[] documents) =>
        InferenceFixpoint.Create(AttributeSources.All.Select(file => (file.Name, file.Text)).Append(("Api.cs", InferenceWorld.Api)).Concat(documents));

    [Fact]
    public async Task One_run_annotates_every_document_with_the_contract_each_body_proves()
    {
        var solution = Solution(("Helpers.cs", Helpers), ("Mappings.cs", Mappings), ("Cache.cs", Cache));
        var before = (await solution.AnalyzeAsync()).Where(d => InferenceFixpoint.SuggestionIds.Contains(d.Id)).ToArray();

        Assert.True(await solution.FixAllAsync(before.ToImmutableArray()));

        Assert.Equal(
            new[] { "Cache.cs", "Helpers.cs", "Mappings.cs" },
            before.Select(d => d.Location.SourceTree!.FilePath).Distinct().OrderBy(p => p));
        Assert.Empty(await solution.AnalyzeAsync());
        var helpers = (await solution.Project.Documents.Single(d => d.Name == "Helpers.cs").GetTextAsync()).ToString();
        Assert.Contains("[return: Pinned]", helpers);
        Assert.Contains("[Borrowed] out Pfn pfn", helpers);
        Assert.Contains("[ReleasesPin] Pfn pfn", helpers);
        var mappings = (await solution.Project.Documents.Single(d => d.Name == "Mappings.cs").GetTextAsync()).ToString();
        Assert.Contains("[TakesPinOwnership] Pfn page", mappings);
        Assert.Contains("[RequiresPin] Pfn pfn", mappings);
        Assert.Contains("[NotifierCovered]", (await solution.Project.Documents.Single(d => d.Name == "Cache.cs").GetTextAsync()).ToString());
    }

    [Fact]
    public async Task A_caller_of_a_helper_marked_in_one_run_is_annotated_in_the_next()
    {
        var solution = Solution(("Chain.cs", @"using MmuGuard;

public sealed class Chain
{
    private readonly Mm _mm = new Mm();

    public void Touch(Pfn pfn) => _mm.MarkDirty(pfn);

    public void TouchBoth(Pfn first, Pfn second) { Touch(first); Touch(second); }
}
"));

        await solution.RunAsync();

        Assert.Equal(2, solution.Passes);
        var text = (await solution.Project.Documents.Single(d => d.Name == "Chain.cs").GetTextAsync()).ToString();
        Assert.Contains("TouchBoth([RequiresPin] Pfn first, [RequiresPin] Pfn second)", text);
        Assert.Empty(await solution.AnalyzeAsync());
    }
}
