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
    public Task ReleaseOnTheOnlyPathSuggestsReleasesPin() => VerifyAsync(@"
    public void Drop(Pfn {|MMU0023:pfn|}) => _mm.Put(pfn);
");

    [Fact]
    public Task ReleaseOnBothBranchesSuggestsReleasesPin() => VerifyAsync(@"
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
    public Task ReleaseInFinallySuggestsReleasesPin() => VerifyAsync(@"
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
    public Task ReleaseOnOneBranchOnlySuggestsNothing() => VerifyAsync(@"
    public void MaybeDrop(Pfn pfn, bool drop)
    {
        if (drop)
        {
            _mm.Put(pfn);
        }
    }
");

    [Fact]
    public Task EarlyReturnBeforeTheReleaseSuggestsNothing() => VerifyAsync(@"
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
    public Task ReleaseInALoopSuggestsNothing() => VerifyAsync(@"
    public void DropMany(Pfn pfn, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _mm.Put(pfn);
        }
    }
");

    [Fact]
    public Task UseAfterTheReleaseSuggestsNothing() => VerifyAsync(@"
    public void Drop(Pfn pfn)
    {
        _mm.Put(pfn);
        _mm.MarkDirty(pfn);
    }
");

    [Fact]
    public Task ReleaseInsideALambdaSuggestsNothing() => VerifyAsync(@"
    public System.Action Later(Pfn pfn) => () => _mm.Put(pfn);
");

    [Fact]
    public Task ReleaseInsideALocalFunctionSuggestsNothing() => VerifyAsync(@"
    public void Drop(Pfn pfn)
    {
        Release();

        void Release() => _mm.Put(pfn);
    }
");

    [Fact]
    public Task VirtualMethodIsNotInferred() => VerifyAsync(@"
    public virtual void Drop(Pfn pfn) => _mm.Put(pfn);
");

    [Fact]
    public Task InterfaceImplementationIsNotInferred() => Verifier<ParameterContractInferenceAnalyzer>.VerifyAsync(InferenceWorld.Api + @"
public interface IDropper { void Drop(Pfn pfn); }

public sealed class Dropper : IDropper
{
    private readonly Mm _mm = new Mm();

    public void Drop(Pfn pfn) => _mm.Put(pfn);
}
");

    [Fact]
    public Task AnnotatedParameterIsNotSuggestedAgain() => VerifyAsync(@"
    public void Drop([ReleasesPin] Pfn pfn) => _mm.Put(pfn);
");

    [Fact]
    public Task StoreIntoAPinnedMemberSuggestsTakesPinOwnership() => VerifyAsync(@"
    public void Keep(Holder holder, Pfn {|MMU0024:pfn|}) => holder.Page = pfn;
");

    [Fact]
    public Task HandingToAnOwnerSuggestsTakesPinOwnership() => VerifyAsync(@"
    public void Give(Pfn {|MMU0024:pfn|}) => _mm.Adopt(pfn);
");

    [Fact]
    public Task KeepingOnOnePathAndReleasingOnTheOtherSuggestsTakesPinOwnership() => VerifyAsync(@"
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
    public Task ConstructorStoringIntoAPinnedFieldSuggestsTakesPinOwnership() => Verifier<ParameterContractInferenceAnalyzer>.VerifyAsync(InferenceWorld.Api + @"
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
    public Task StoreIntoAPlainMemberSuggestsNothing() => VerifyAsync(@"
    public void Keep(Holder holder, Pfn pfn) => holder.Plain = pfn;
");

    [Fact]
    public Task MarkingSuggestsRequiresPin() => VerifyAsync(@"
    public void Touch(Pfn {|MMU0025:pfn|}) => _mm.MarkDirty(pfn);
");

    [Fact]
    public Task OutOfBandWriteOnSomePathSuggestsRequiresPin() => VerifyAsync(@"
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
    public Task PinningItselfSuggestsNoRequiresPin() => VerifyAsync(@"
    public void Touch(Pfn pfn)
    {
        _mm.Get(pfn);
        _mm.MarkDirty(pfn);
        _mm.Put(pfn);
    }
");

    [Fact]
    public Task InstallingUnderNotifiersSuggestsNoRequiresPin() => VerifyAsync(@"
    public void Map(Pfn pfn)
    {
        _mm.MarkDirty(pfn);
        _mm.Install(1, pfn);
    }
");

    [Fact]
    public Task RequiresPinChainsThroughAnnotatedHelpers() => VerifyAsync(@"
    public void Touch([RequiresPin] Pfn pfn) => _mm.MarkDirty(pfn);

    public void TouchTwice(Pfn {|MMU0025:pfn|})
    {
        Touch(pfn);
        Touch(pfn);
    }
");

    [Fact]
    public Task MethodWithAContradictoryReturnContractSuggestsNothing() => VerifyAsync(@"
    [return: Pinned, Borrowed]
    public Pfn LookUp(Pfn pfn) => pfn;
");

    [Fact]
    public Task ParameterNeverReachingAContractSuggestsNothing() => VerifyAsync(@"
    public ulong Frame(Pfn pfn) => pfn.Frame;
");
}
