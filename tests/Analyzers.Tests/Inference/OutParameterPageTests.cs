using System.Threading.Tasks;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Inference;

/// <summary>MMU0016 on <c>out</c> parameters: every write is a pinned (or borrowed) page, and the value is never read back.</summary>
public sealed class OutParameterPageTests
{
    private static Task VerifyAsync(string members) =>
        Verifier<UnannotatedPageReturnAnalyzer>.VerifyAsync(InferenceWorld.Sim(members));

    [Fact]
    public Task Out_assigned_from_a_pinned_call_is_suggested_pinned() => VerifyAsync(@"
    public bool TryResolve(ulong hva, out Pfn {|MMU0016:page|})
    {
        page = _mm.GetUserPages(hva);
        return true;
    }
");

    [Fact]
    public Task Out_assigned_from_a_borrowed_call_on_every_branch_is_suggested_borrowed() => VerifyAsync(@"
    public void Peek(ulong hva, bool high, out Pfn {|MMU0016:pfn|})
    {
        if (high)
        {
            pfn = _mm.FollowPte(hva + 4096);
            return;
        }

        pfn = _mm.FollowPte(hva);
    }
");

    [Fact]
    public Task Out_forwarded_from_a_pinned_out_is_suggested_pinned() => VerifyAsync(@"
    public bool Resolve([Pinned] out Pfn page) { page = default; return true; }

    public bool ResolveAgain(out Pfn {|MMU0016:page|}) => Resolve(out page);
");

    [Fact]
    public Task Default_on_the_failure_path_neither_counts_nor_contradicts() => VerifyAsync(@"
    public bool TryPeek(ulong hva, out Pfn {|MMU0016:pfn|})
    {
        if (hva == 0)
        {
            pfn = default;
            return false;
        }

        pfn = _mm.FollowPte(hva);
        return true;
    }
");

    [Fact]
    public Task Out_written_only_with_default_is_not_suggested() => VerifyAsync(@"
    public void Nothing(out Pfn pfn) => pfn = default;
");

    [Fact]
    public Task Out_with_a_mixed_write_is_not_suggested() => VerifyAsync(@"
    public void Resolve(ulong hva, bool pin, out Pfn pfn)
    {
        pfn = pin ? _mm.GetUserPages(hva) : default;
    }
");

    [Fact]
    public Task Out_read_back_is_not_suggested() => VerifyAsync(@"
    public void Resolve(ulong hva, out Pfn pfn)
    {
        pfn = _mm.GetUserPages(hva);
        _mm.Put(pfn);
    }
");

    [Fact]
    public Task Out_of_pinned_and_borrowed_writes_is_not_suggested() => VerifyAsync(@"
    public void Resolve(ulong hva, bool pin, out Pfn pfn)
    {
        if (pin)
        {
            pfn = _mm.GetUserPages(hva);
            return;
        }

        pfn = _mm.FollowPte(hva);
    }
");

    [Fact]
    public Task Out_with_a_try_acquire_contract_is_not_suggested() => VerifyAsync(@"
    public bool Resolve(ulong hva, [TryAcquiresPin] out Pfn pfn)
    {
        pfn = _mm.GetUserPages(hva);
        return true;
    }
");

    [Fact]
    public Task Virtual_helper_is_not_inferred() => VerifyAsync(@"
    public virtual Pfn Resolve(ulong hva) => _mm.GetUserPages(hva);

    public virtual void Peek(ulong hva, out Pfn pfn) => pfn = _mm.FollowPte(hva);
");

    [Fact]
    public Task Fix_marks_the_out_parameter() => FixVerifier<UnannotatedPageReturnAnalyzer, UnannotatedPageReturnFixer>.VerifyAsync(
        InferenceWorld.Sim(@"
    public void Resolve(ulong hva, out Pfn {|MMU0016:page|}) => page = _mm.GetUserPages(hva);
"),
        InferenceWorld.Sim(@"
    public void Resolve(ulong hva, [Pinned] out Pfn page) => page = _mm.GetUserPages(hva);
"));
}
