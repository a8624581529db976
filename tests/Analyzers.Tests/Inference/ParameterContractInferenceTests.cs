using System.Threading.Tasks;
using MmuGuard.Analyzers.Rules.Inference;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Inference;

/// <summary>MMU0023–MMU0025: the parameter contracts a body proves, and the bodies that prove none.</summary>
public sealed class ParameterContractInferenceTests
{
    private static Task VerifyAsync(string members) =>
        Verifier<ParameterContractInferenceAnalyzer>.VerifyAsync(InferenceWorld.Sim(members));

    [Fact]
    public Task Release_on_the_only_path_suggests_releases_pin() => VerifyAsync(@"
    public void Drop(Pfn {|MMU0023:pfn|}) => _mm.Put(pfn);
");

    [Fact]
    public Task Release_on_both_branches_suggests_releases_pin() => VerifyAsync(@"
    public void Drop(Pfn {|MMU0023:pfn|}, bool dirty)
    {
        if (dirty)
        {
            _mm.MarkDirty(pfn);
            _mm.Put(pfn);
            return;
        }

        _mm.Put(pfn);
    }
");

    [Fact]
    public Task Release_in_finally_suggests_releases_pin() => VerifyAsync(@"
    public void Drop(Pfn {|MMU0023:pfn|})
    {
        try
        {
            _mm.Log(""dropping"");
        }
        finally
        {
            _mm.Put(pfn);
        }
    }
");

    [Fact]
    public Task Release_on_one_branch_only_suggests_nothing() => VerifyAsync(@"
    public void MaybeDrop(Pfn pfn, bool drop)
    {
        if (drop)
        {
            _mm.Put(pfn);
        }
    }
");

    [Fact]
    public Task Early_return_before_the_release_suggests_nothing() => VerifyAsync(@"
    public void Drop(Pfn pfn, bool skip)
    {
        if (skip)
        {
            return;
        }

        _mm.Put(pfn);
    }
");

    [Fact]
    public Task Release_in_a_loop_suggests_nothing() => VerifyAsync(@"
    public void DropMany(Pfn pfn, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _mm.Put(pfn);
        }
    }
");

    [Fact]
    public Task Use_after_the_release_suggests_nothing() => VerifyAsync(@"
    public void Drop(Pfn pfn)
    {
        _mm.Put(pfn);
        _mm.MarkDirty(pfn);
    }
");

    [Fact]
    public Task Release_inside_a_lambda_suggests_nothing() => VerifyAsync(@"
    public System.Action Later(Pfn pfn) => () => _mm.Put(pfn);
");

    [Fact]
    public Task Release_inside_a_local_function_suggests_nothing() => VerifyAsync(@"
    public void Drop(Pfn pfn)
    {
        Release();

        void Release() => _mm.Put(pfn);
    }
");

    [Fact]
    public Task Virtual_method_is_not_inferred() => VerifyAsync(@"
    public virtual void Drop(Pfn pfn) => _mm.Put(pfn);
");

    [Fact]
    public Task Interface_implementation_is_not_inferred() => Verifier<ParameterContractInferenceAnalyzer>.VerifyAsync(InferenceWorld.Api + @"
public interface IDropper { void Drop(Pfn pfn); }

public sealed class Dropper : IDropper
{
    private readonly Mm _mm = new Mm();

    public void Drop(Pfn pfn) => _mm.Put(pfn);
}
");

    [Fact]
    public Task Annotated_parameter_is_not_suggested_again() => VerifyAsync(@"
    public void Drop([ReleasesPin] Pfn pfn) => _mm.Put(pfn);
");

    [Fact]
    public Task Store_into_a_pinned_member_suggests_takes_pin_ownership() => VerifyAsync(@"
    public void Keep(Holder holder, Pfn {|MMU0024:pfn|}) => holder.Page = pfn;
");

    [Fact]
    public Task Handing_to_an_owner_suggests_takes_pin_ownership() => VerifyAsync(@"
    public void Give(Pfn {|MMU0024:pfn|}) => _mm.Adopt(pfn);
");

    [Fact]
    public Task Keeping_on_one_path_and_releasing_on_the_other_suggests_takes_pin_ownership() => VerifyAsync(@"
    public void KeepOrDrop(Holder holder, Pfn {|MMU0024:pfn|}, bool keep)
    {
        if (keep)
        {
            holder.Page = pfn;
            return;
        }

        _mm.Put(pfn);
    }
");

    [Fact]
    public Task Constructor_storing_into_a_pinned_field_suggests_takes_pin_ownership() => Verifier<ParameterContractInferenceAnalyzer>.VerifyAsync(InferenceWorld.Api + @"
public sealed class Mapping
{
    [Pinned] private readonly Pfn _page;

    public Mapping(Pfn {|MMU0024:page|})
    {
        _page = page;
    }
}
");

    [Fact]
    public Task Store_into_a_plain_member_suggests_nothing() => VerifyAsync(@"
    public void Keep(Holder holder, Pfn pfn) => holder.Plain = pfn;
");

    [Fact]
    public Task Marking_suggests_requires_pin() => VerifyAsync(@"
    public void Touch(Pfn {|MMU0025:pfn|}) => _mm.MarkDirty(pfn);
");

    [Fact]
    public Task Out_of_band_write_on_some_path_suggests_requires_pin() => VerifyAsync(@"
    public void Expose(Pfn {|MMU0025:pfn|}, bool apic)
    {
        if (apic)
        {
            _mm.WriteApicAccess(pfn);
        }

        _mm.Log(""exposed"");
    }
");

    [Fact]
    public Task Pinning_itself_suggests_no_requires_pin() => VerifyAsync(@"
    public void Touch(Pfn pfn)
    {
        _mm.Get(pfn);
        _mm.MarkDirty(pfn);
        _mm.Put(pfn);
    }
");

    [Fact]
    public Task Installing_under_notifiers_suggests_no_requires_pin() => VerifyAsync(@"
    public void Map(Pfn pfn)
    {
        _mm.MarkDirty(pfn);
        _mm.Install(1, pfn);
    }
");

    [Fact]
    public Task Requires_pin_chains_through_annotated_helpers() => VerifyAsync(@"
    public void Touch([RequiresPin] Pfn pfn) => _mm.MarkDirty(pfn);

    public void TouchTwice(Pfn {|MMU0025:pfn|})
    {
        Touch(pfn);
        Touch(pfn);
    }
");

    [Fact]
    public Task Method_with_a_contradictory_return_contract_suggests_nothing() => VerifyAsync(@"
    [return: Pinned, Borrowed]
    public Pfn LookUp(Pfn pfn) => pfn;
");

    [Fact]
    public Task Parameter_never_reaching_a_contract_suggests_nothing() => VerifyAsync(@"
    public ulong Frame(Pfn pfn) => pfn.Frame;
");
}
