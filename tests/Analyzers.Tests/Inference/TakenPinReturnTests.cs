using System.Threading.Tasks;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Inference;

/// <summary>
/// MMU0016 on a pin the body takes itself (<c>get_page(page); return page;</c>): proved by a flow run with the
/// contract assumed, so only a value owned on every path that leaves through the return (or the <c>out</c>) is
/// suggested <c>[Pinned]</c>.
/// </summary>
public sealed class TakenPinReturnTests
{
    private static Task VerifyAsync(string members) =>
        Verifier<UnannotatedPageReturnAnalyzer>.VerifyAsync(InferenceWorld.Sim(members));

    [Fact]
    public Task Returning_a_page_the_body_pins_is_suggested_pinned() => VerifyAsync(@"
    public Pfn {|MMU0016:Grab|}(Pfn pfn)
    {
        _mm.Get(pfn);
        return pfn;
    }
");

    [Fact]
    public Task Returning_a_successful_try_pin_with_an_error_value_on_failure_is_suggested_pinned() => VerifyAsync(@"
    public Pfn {|MMU0016:TryGrab|}(Pfn pfn)
    {
        if (!_mm.TryGet(pfn))
        {
            return default;
        }

        return pfn;
    }
");

    [Fact]
    public Task Pin_taken_in_a_loop_before_the_return_is_suggested_pinned() => VerifyAsync(@"
    public Pfn {|MMU0016:GrabFirst|}(Pfn[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (_mm.TryGet(candidate))
            {
                return candidate;
            }
        }

        return default;
    }
");

    [Fact]
    public Task Pin_taken_inside_try_finally_is_suggested_pinned() => VerifyAsync(@"
    public Pfn {|MMU0016:GrabLogged|}(Pfn pfn)
    {
        try
        {
            _mm.Get(pfn);
            return pfn;
        }
        finally
        {
            _mm.Log(""grab"");
        }
    }
");

    [Fact]
    public Task Out_written_with_a_page_the_body_pins_is_suggested_pinned() => VerifyAsync(@"
    public void Grab(Pfn source, out Pfn {|MMU0016:pinned|})
    {
        _mm.Get(source);
        pinned = source;
    }
");

    [Fact]
    public Task Unpinned_page_returned_on_another_path_is_not_suggested() => VerifyAsync(@"
    public Pfn Grab(Pfn pfn, bool pin)
    {
        if (pin)
        {
            _mm.Get(pfn);
            return pfn;
        }

        return pfn;
    }
");

    [Fact]
    public Task Page_whose_try_pin_failed_returned_is_not_suggested() => VerifyAsync(@"
    public Pfn Grab(Pfn pfn)
    {
        _mm.TryGet(pfn);
        return pfn;
    }
");

    [Fact]
    public Task Page_released_before_the_return_is_not_suggested() => VerifyAsync(@"
    public Pfn Grab(Pfn pfn)
    {
        _mm.Get(pfn);
        _mm.Put(pfn);
        return pfn;
    }
");

    [Fact]
    public Task Page_handed_to_an_owner_before_the_return_is_not_suggested() => VerifyAsync(@"
    public Pfn Grab(Pfn pfn)
    {
        _mm.Get(pfn);
        _mm.Adopt(pfn);
        return pfn;
    }
");

    [Fact]
    public Task Try_pinned_out_is_not_suggested_pinned_because_the_failure_path_writes_an_unpinned_page() => VerifyAsync(@"
    public bool TryGrab(Pfn source, out Pfn page)
    {
        page = source;
        return _mm.TryGet(page);
    }
");

    [Fact]
    public Task Pin_taken_in_a_lambda_is_not_the_method_s_return() => VerifyAsync(@"
    public Pfn Grab(Pfn pfn)
    {
        System.Action pin = () => _mm.Get(pfn);
        pin();
        return pfn;
    }
");

    [Fact]
    public Task Pin_returned_by_a_local_function_is_not_the_method_s_return() => VerifyAsync(@"
    public int Grab(Pfn pfn)
    {
        Pfn Pin() { _mm.Get(pfn); return pfn; }
        Pin();
        return 0;
    }
");

    [Fact]
    public Task Returning_a_notifier_covered_field_is_suggested_borrowed() => VerifyAsync(@"
    [NotifierCovered] private Pfn _cached;

    public Pfn {|MMU0016:Cached|}() => _cached;
");

    [Fact]
    public Task Out_written_from_a_notifier_covered_field_is_suggested_borrowed() => VerifyAsync(@"
    [NotifierCovered] private Pfn _cached;
    private bool _valid;

    public bool TryGetCached(out Pfn {|MMU0016:pfn|})
    {
        if (!_valid)
        {
            pfn = default;
            return false;
        }

        pfn = _cached;
        return true;
    }
");

    [Fact]
    public Task Out_written_from_a_plain_field_is_not_suggested() => VerifyAsync(@"
    private Pfn _cached;

    public void Cached(out Pfn pfn) => pfn = _cached;
");

    [Fact]
    public Task Fix_marks_the_return_of_a_page_the_body_pins() => FixVerifier<UnannotatedPageReturnAnalyzer, UnannotatedPageReturnFixer>.VerifyAsync(
        InferenceWorld.Sim(@"
    public Pfn {|MMU0016:Grab|}(Pfn pfn)
    {
        _mm.Get(pfn);
        return pfn;
    }
"),
        InferenceWorld.Sim(@"
    [return: Pinned]
    public Pfn Grab(Pfn pfn)
    {
        _mm.Get(pfn);
        return pfn;
    }
"));

    [Fact]
    public Task Before_the_fix_the_pin_leaks_out_of_the_unannotated_return() => Verifier<OwnershipFlowAnalyzer>.VerifyAsync(InferenceWorld.Sim(@"
    public Pfn Grab(Pfn pfn)
    {
        _mm.Get(pfn);
        {|MMU0005:return|} pfn;
    }
"));

    [Fact]
    public Task After_the_fix_the_helper_is_clean_and_its_caller_owns_the_pin() => Verifier<OwnershipFlowAnalyzer>.VerifyAsync(InferenceWorld.Sim(@"
    [return: Pinned]
    public Pfn Grab(Pfn pfn)
    {
        _mm.Get(pfn);
        return pfn;
    }

    public void Balanced(Pfn pfn)
    {
        var page = Grab(pfn);
        _mm.Put(page);
    }

    public void Leaky(Pfn pfn)
    {
        var page = Grab(pfn);
        _mm.MarkDirty(page);
    {|MMU0005:}|}
"));
}
