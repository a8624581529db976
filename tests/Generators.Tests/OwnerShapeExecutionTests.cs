using MmuGuard.Generators.Tests.Infrastructure;
using MmuGuard.Generators.Tests.Inputs;
using Xunit;

namespace MmuGuard.Generators.Tests;

/// <summary>Behaviour that depends on the owner's declaration: the IDisposable opt-in and struct copy semantics.</summary>
public sealed class OwnerShapeExecutionTests
{
    private readonly TestGuest _guest = new();

    [Theory]
    [MemberData(nameof(RepresentativeInputs.DisposableOwners), MemberType = typeof(RepresentativeInputs))]
    public void Dispose_releases_every_live_pin(string name)
    {
        var input = RepresentativeInputs.Named(name);
        var owner = OwnerHandle.Create(input);
        var gfn = _guest.RefcountedGfn(0);
        owner.Map(input.PinnedStems[0], _guest.Pinned, gfn);

        owner.Dispose();

        Assert.Equal(0, _guest.PinsOn(gfn));
        Assert.Empty(_guest.Sanitizer.Findings);
    }

    [Fact]
    public void Owner_without_the_opt_in_is_not_disposable()
    {
        var owner = OwnerHandle.Create(RepresentativeInputs.SinglePinnedMember);

        Assert.False(typeof(System.IDisposable).IsAssignableFrom(owner.Type));
    }

    [Fact]
    public void Struct_copies_made_after_the_first_map_share_the_pin_bookkeeping()
    {
        var stem = RepresentativeInputs.StructInGlobalNamespace.PinnedStems[0];
        var original = OwnerHandle.Create(RepresentativeInputs.StructInGlobalNamespace);
        var gfn = _guest.RefcountedGfn(0);
        original.Map(stem, _guest.Pinned, gfn);
        var copy = original.Copy();

        Assert.True(copy.Unmap(stem));

        Assert.False(original.IsMapped(stem));
        Assert.False(original.Unmap(stem));
        Assert.Equal(0, _guest.PinsOn(gfn));
        Assert.Empty(_guest.Sanitizer.Findings);
    }

    [Fact]
    public void Struct_remap_through_a_copy_is_what_the_original_reads()
    {
        var stem = RepresentativeInputs.StructInGlobalNamespace.PinnedStems[0];
        var original = OwnerHandle.Create(RepresentativeInputs.StructInGlobalNamespace);
        original.Map(stem, _guest.Pinned, _guest.RefcountedGfn(0));
        var copy = original.Copy();

        copy.Map(stem, _guest.Pinned, _guest.RefcountedGfn(1));

        Assert.Equal(_guest.FrameOf(_guest.RefcountedGfn(1)), original.PfnOf(stem));
        Assert.Equal(0, _guest.PinsOn(_guest.RefcountedGfn(0)));
    }
}
