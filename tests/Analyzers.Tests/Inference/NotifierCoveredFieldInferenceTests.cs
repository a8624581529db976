using System.Threading.Tasks;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Rules.Inference;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Inference;

/// <summary>MMU0026: a field of a type with a notifier hook that only ever receives borrowed PFNs is a PFN cache.</summary>
public sealed class NotifierCoveredFieldInferenceTests
{
    private const string Notifier = @"
public interface IMmuNotifier
{
    void InvalidateRangeStart(ulong start, ulong end);
}
";

    private static string Cache(string fieldAndBody, string hooks = " : IMmuNotifier") => InferenceWorld.Api + Notifier + @"
public sealed class PfnCache" + hooks + @"
{
    private readonly Mm _mm = new Mm();
    private bool _valid;
" + fieldAndBody + @"
    public void InvalidateRangeStart(ulong start, ulong end) { _valid = false; }
}
";

    private static Task VerifyAsync(string source) => Verifier<NotifierCoveredFieldInferenceAnalyzer>.VerifyAsync(source);

    [Fact]
    public Task Borrowed_stores_under_a_hook_suggest_notifier_covered() => VerifyAsync(Cache(@"
    private Pfn {|MMU0026:_pfn|};

    public void Refresh(ulong hva)
    {
        _pfn = _mm.FollowPte(hva);
        _valid = true;
    }
"));

    [Fact]
    public Task Without_a_hook_nothing_is_suggested() => VerifyAsync(Cache(
        @"
    private Pfn _pfn;

    public void Refresh(ulong hva) => _pfn = _mm.FollowPte(hva);
",
        hooks: string.Empty));

    [Fact]
    public Task A_field_that_also_receives_a_pinned_page_is_not_suggested() => VerifyAsync(Cache(@"
    private Pfn _pfn;

    public void Refresh(ulong hva, bool pin)
    {
        if (pin)
        {
            _pfn = _mm.GetUserPages(hva);
            return;
        }

        _pfn = _mm.FollowPte(hva);
    }
"));

    [Fact]
    public Task A_field_never_stored_from_a_contract_is_not_suggested() => VerifyAsync(Cache(@"
    private Pfn _pfn;

    public void Reset() => _pfn = default;
"));

    [Fact]
    public Task Fix_marks_the_field() => FixVerifier<NotifierCoveredFieldInferenceAnalyzer, InferredContractFixer>.VerifyAsync(
        Cache(@"
    private Pfn {|MMU0026:_pfn|};

    public void Refresh(ulong hva) => _pfn = _mm.FollowPte(hva);
"),
        Cache(@"
    [NotifierCovered]
    private Pfn _pfn;

    public void Refresh(ulong hva) => _pfn = _mm.FollowPte(hva);
"));
}
