using System;
using System.Linq;
using MmuGuard.Generators.Tests.Infrastructure;
using MmuGuard.Generators.Tests.Inputs;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using Xunit;

namespace MmuGuard.Generators.Tests;

/// <summary>
/// The generated notifier-covered (PFN-cache) plumbing of every representative owner that has it, compiled and run:
/// refresh under the retry discipline, invalidation by the notifier, validity checks, and no pin ever taken.
/// </summary>
public sealed class CoveredMappingExecutionTests
{
    private readonly TestGuest _guest = new();

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Refresh_maps_a_non_refcounted_page_without_pinning_it(string name)
    {
        var (owner, stems) = Create(name);

        var result = owner.Refresh(stems[0], _guest.Covered, _guest.NonRefcountedGfn);

        Assert.Equal(MapResult.Mapped(_guest.FrameOf(_guest.NonRefcountedGfn)), result);
        Assert.True(owner.IsValid(stems[0]));
        Assert.Equal(0, _guest.PinsOn(_guest.NonRefcountedGfn));
        Assert.Empty(owner.PinLedger.LivePins());
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void TryGet_gives_the_refreshed_frame_while_valid(string name)
    {
        var (owner, stems) = Create(name);
        var gfn = _guest.RefcountedGfn(0);
        owner.Refresh(stems[0], _guest.Covered, gfn);

        Assert.True(owner.TryGet(stems[0], out var pfn));
        Assert.Equal(_guest.FrameOf(gfn), pfn);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Notifier_invalidation_of_the_frame_makes_the_member_invalid(string name)
    {
        var (owner, stems) = Create(name);
        var gfn = _guest.RefcountedGfn(0);
        owner.Refresh(stems[0], _guest.Covered, gfn);

        _guest.InvalidateHostMapping(gfn);

        Assert.False(owner.IsValid(stems[0]));
        Assert.False(owner.TryGet(stems[0], out var pfn));
        Assert.Equal(default, pfn);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Invalidation_of_another_frame_leaves_the_member_valid(string name)
    {
        var (owner, stems) = Create(name);
        owner.Refresh(stems[0], _guest.Covered, _guest.RefcountedGfn(0));

        _guest.InvalidateHostMapping(_guest.RefcountedGfn(1));

        Assert.True(owner.IsValid(stems[0]));
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Refresh_after_an_invalidation_makes_the_member_valid_again(string name)
    {
        var (owner, stems) = Create(name);
        var gfn = _guest.RefcountedGfn(0);
        owner.Refresh(stems[0], _guest.Covered, gfn);
        _guest.InvalidateHostMapping(gfn);

        var result = owner.Refresh(stems[0], _guest.Covered, gfn);

        Assert.True(result.IsMapped);
        Assert.True(owner.IsValid(stems[0]));
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Invalidate_reports_whether_the_member_was_valid(string name)
    {
        var (owner, stems) = Create(name);
        owner.Refresh(stems[0], _guest.Covered, _guest.RefcountedGfn(0));

        Assert.True(owner.Invalidate(stems[0]));
        Assert.False(owner.Invalidate(stems[0]));
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Refresh_of_a_frame_no_memslot_covers_is_refused_and_leaves_the_member_invalid_and_untracked(string name)
    {
        var (owner, stems) = Create(name);
        owner.Refresh(stems[0], _guest.Covered, _guest.RefcountedGfn(0));

        var result = owner.Refresh(stems[0], _guest.Covered, new Guest.Gfn(0xdead));

        Assert.Equal(MapResult.Refused(PinRefusal.NoMemslot), result);
        Assert.False(owner.IsValid(stems[0]));
        Assert.Equal(0, _guest.TrackedMappingCount);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Refresh_through_another_source_stops_tracking_with_the_previous_one(string name)
    {
        var (owner, stems) = Create(name);
        owner.Refresh(stems[0], _guest.Covered, _guest.RefcountedGfn(0));
        var other = new ScriptedGuestMemory();

        owner.Refresh(stems[0], other, other.Back(1, 0x10));

        Assert.Equal(0, _guest.TrackedMappingCount);
        Assert.True(owner.IsValid(stems[0]));
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Refresh_retries_the_resolve_when_an_invalidation_runs_during_it(string name)
    {
        var (owner, stems) = Create(name);
        var memory = new ScriptedGuestMemory();
        var gfn = memory.Back(1, 0x10);
        memory.DuringResolve = raced =>
        {
            memory.DuringResolve = null;
            memory.Back(1, 0x20);
            memory.Invalidate(raced);
        };

        var result = owner.Refresh(stems[0], memory, gfn);

        Assert.Equal(2, memory.Resolves);
        Assert.Equal(MapResult.Mapped(new Pfn(0x20)), result);
        Assert.True(owner.IsValid(stems[0]));
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Refresh_gives_up_with_a_clear_error_when_every_resolve_is_invalidated(string name)
    {
        var (owner, stems) = Create(name);
        var memory = new ScriptedGuestMemory();
        var gfn = memory.Back(1, 0x10);
        memory.DuringResolve = memory.Invalidate;

        var thrown = Assert.Throws<InvalidOperationException>(() => owner.Refresh(stems[0], memory, gfn));

        Assert.Contains("invalidated during each of", thrown.Message);
        Assert.False(owner.IsValid(stems[0]));
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void UnmapAll_invalidates_and_untracks_every_covered_member(string name)
    {
        var (owner, stems) = Create(name);
        foreach (var (stem, i) in stems.Select((s, i) => (s, i)))
        {
            owner.Refresh(stem, _guest.Covered, _guest.RefcountedGfn(i));
        }

        owner.UnmapAll();

        Assert.All(stems, stem => Assert.False(owner.IsValid(stem)));
        Assert.Equal(0, _guest.TrackedMappingCount);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithCoveredMembers), MemberType = typeof(RepresentativeInputs))]
    public void Notifier_callback_with_an_unknown_slot_throws(string name)
    {
        var (owner, stems) = Create(name);

        var thrown = Assert.Throws<ArgumentOutOfRangeException>(
            () => owner.AsCoveredOwner().InvalidateCoveredMapping(stems.Length));

        Assert.Equal("slot", thrown.ParamName);
    }

    private static (OwnerHandle Owner, string[] CoveredStems) Create(string name)
    {
        var input = RepresentativeInputs.Named(name);
        return (OwnerHandle.Create(input), input.CoveredStems.ToArray());
    }
}
