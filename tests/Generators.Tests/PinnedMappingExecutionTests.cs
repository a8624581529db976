using System;
using System.Linq;
using MmuGuard.Generators.Tests.Infrastructure;
using MmuGuard.Generators.Tests.Inputs;
using MmuGuard.Mapping;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Generators.Tests;

/// <summary>
/// The generated out-of-band (pinned) bookkeeping of every representative owner, compiled and run: what
/// <c>Map…</c>, <c>Unmap…</c>, <c>…Pfn</c>, <c>UnmapAll</c> and <c>Teardown</c> do to pins, the ledger and the sanitizer.
/// </summary>
public sealed class PinnedMappingExecutionTests
{
    private readonly TestGuest _guest = new();

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Map_pins_the_page_and_returns_its_frame(string name)
    {
        var (owner, stems) = Create(name);
        foreach (var (stem, i) in stems.Select((s, i) => (s, i)))
        {
            var gfn = _guest.RefcountedGfn(i);

            var result = owner.Map(stem, _guest.Pinned, gfn);

            Assert.True(result.IsMapped);
            Assert.Equal(_guest.FrameOf(gfn), result.Pfn);
            Assert.Equal(1, _guest.PinsOn(gfn));
            Assert.True(owner.IsMapped(stem));
            Assert.Equal(_guest.FrameOf(gfn), owner.PfnOf(stem));
        }
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Map_records_member_frame_and_call_site_in_the_pin_ledger(string name)
    {
        var (owner, stems) = Create(name);
        var gfn = _guest.RefcountedGfn(0);

        owner.Map(stems[^1], _guest.Pinned, gfn);

        var entry = Assert.Single(owner.PinLedger.LivePins());
        Assert.Equal(owner.Type.FullName!.Replace('+', '.'), entry.Owner);
        Assert.Equal(stems[^1], Shared.MappingNames.StemOf(entry.Member));
        Assert.Equal(_guest.FrameOf(gfn), entry.Pfn);
        Assert.Equal($"{OwnerHandle.CallerMember} (Vmx.cs:{OwnerHandle.CallerLine})", entry.Site);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Map_refuses_a_non_refcounted_page_and_pins_nothing(string name)
    {
        var (owner, stems) = Create(name);

        var result = owner.Map(stems[0], _guest.Pinned, _guest.NonRefcountedGfn);

        Assert.Equal(MapResult.Refused(PinRefusal.RemappedMemory), result); // the page is behind PfnMap: refused since 6.13
        Assert.False(owner.IsMapped(stems[0]));
        Assert.Equal(0, _guest.PinsOn(_guest.NonRefcountedGfn));
        Assert.Empty(owner.PinLedger.LivePins());
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Refused_remap_leaves_the_live_mapping_intact(string name)
    {
        var (owner, stems) = Create(name);
        var first = _guest.RefcountedGfn(0);
        owner.Map(stems[0], _guest.Pinned, first);

        var result = owner.Map(stems[0], _guest.Pinned, _guest.NonRefcountedGfn);

        Assert.False(result.IsMapped);
        Assert.Equal(_guest.FrameOf(first), owner.PfnOf(stems[0]));
        Assert.Equal(1, _guest.PinsOn(first));
        Assert.Equal(_guest.FrameOf(first), Assert.Single(owner.PinLedger.LivePins()).Pfn);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Remap_pins_the_new_page_and_releases_the_old_one(string name)
    {
        var (owner, stems) = Create(name);
        var first = _guest.RefcountedGfn(0);
        var second = _guest.RefcountedGfn(1);
        owner.Map(stems[0], _guest.Pinned, first);

        owner.Map(stems[0], _guest.Pinned, second);

        Assert.Equal(0, _guest.PinsOn(first));
        Assert.Equal(1, _guest.PinsOn(second));
        Assert.Equal(_guest.FrameOf(second), Assert.Single(owner.PinLedger.LivePins()).Pfn);
        Assert.Empty(_guest.Sanitizer.Findings);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Unmap_releases_the_pin_exactly_once(string name)
    {
        var (owner, stems) = Create(name);
        var gfn = _guest.RefcountedGfn(0);
        owner.Map(stems[0], _guest.Pinned, gfn);

        var first = owner.Unmap(stems[0]);
        var second = owner.Unmap(stems[0]);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(0, _guest.PinsOn(gfn));
        Assert.False(owner.IsMapped(stems[0]));
        Assert.Empty(_guest.Sanitizer.Findings);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Unmap_of_a_never_mapped_member_returns_false(string name)
    {
        var (owner, stems) = Create(name);

        Assert.False(owner.Unmap(stems[0]));
        Assert.Empty(_guest.Sanitizer.Findings);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Reading_the_frame_after_unmap_reports_use_after_unmap_and_throws(string name)
    {
        var (owner, stems) = Create(name);
        var gfn = _guest.RefcountedGfn(0);
        owner.Map(stems[0], _guest.Pinned, gfn);
        owner.Unmap(stems[0]);

        var thrown = Assert.Throws<InvalidOperationException>(() => owner.PfnOf(stems[0]));

        Assert.Contains("unmapped", thrown.Message);
        var finding = Assert.Single(_guest.Sanitizer.Findings);
        Assert.Equal(FindingKind.UseAfterUnmap, finding.Kind);
        Assert.Equal(_guest.FrameOf(gfn), finding.Pfn);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Reading_the_frame_of_a_never_mapped_member_throws_without_a_finding(string name)
    {
        var (owner, stems) = Create(name);

        var thrown = Assert.Throws<InvalidOperationException>(() => owner.PfnOf(stems[0]));

        Assert.Contains("never been mapped", thrown.Message);
        Assert.Empty(_guest.Sanitizer.Findings);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void UnmapAll_releases_every_live_pin(string name)
    {
        var (owner, stems) = Create(name);
        var gfns = MapEvery(owner, stems);

        var released = owner.UnmapAll();

        Assert.Equal(stems.Length, released);
        Assert.All(gfns, gfn => Assert.Equal(0, _guest.PinsOn(gfn)));
        Assert.Equal(0, owner.PinLedger.LiveCount);
        Assert.Empty(_guest.Sanitizer.Findings);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Teardown_reports_each_live_pin_as_a_leak_then_releases_it(string name)
    {
        var (owner, stems) = Create(name);
        var gfns = MapEvery(owner, stems);

        var leaks = owner.Teardown("Vm.Destroy");

        Assert.Equal(stems.Length, leaks);
        Assert.Equal(stems.Length, _guest.Sanitizer.Count(FindingKind.PinLeakedAtTeardown));
        Assert.All(_guest.Sanitizer.Findings, finding => Assert.Equal("Vm.Destroy", finding.Operation));
        Assert.All(gfns, gfn => Assert.Equal(0, _guest.PinsOn(gfn)));
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Teardown_after_unmapping_everything_reports_no_leak(string name)
    {
        var (owner, stems) = Create(name);
        MapEvery(owner, stems);
        owner.UnmapAll();

        Assert.Equal(0, owner.Teardown());
        Assert.Empty(_guest.Sanitizer.Findings);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Teardown_releases_the_pins_even_when_the_sanitizer_throws(string name)
    {
        var (owner, stems) = Create(name);
        var gfn = _guest.RefcountedGfn(0);
        owner.Map(stems[0], _guest.Pinned, gfn);
        _guest.Sanitizer.Mode = SanitizerMode.Throw;

        Assert.Throws<SanitizerException>(() => owner.Teardown());

        Assert.Equal(0, _guest.PinsOn(gfn));
        Assert.False(owner.IsMapped(stems[0]));
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Pins_an_owner_never_released_are_reported_when_the_vm_is_destroyed(string name)
    {
        var (owner, stems) = Create(name);
        MapEvery(owner, stems);

        _guest.DestroyVm();

        Assert.Equal(stems.Length, _guest.Sanitizer.Count(FindingKind.PinLeakedAtTeardown));
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Vm_destroyed_after_UnmapAll_reports_nothing(string name)
    {
        var (owner, stems) = Create(name);
        MapEvery(owner, stems);
        owner.UnmapAll();

        _guest.DestroyVm();

        Assert.Empty(_guest.Sanitizer.Findings);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.WithPinnedMembers), MemberType = typeof(RepresentativeInputs))]
    public void Map_with_no_source_throws_ArgumentNullException(string name)
    {
        var (owner, stems) = Create(name);

        var thrown = Assert.Throws<ArgumentNullException>(() => owner.Map(stems[0], null!, _guest.RefcountedGfn(0)));

        Assert.Equal("source", thrown.ParamName);
    }

    private static (OwnerHandle Owner, string[] PinnedStems) Create(string name)
    {
        var input = RepresentativeInputs.Named(name);
        return (OwnerHandle.Create(input), input.PinnedStems.ToArray());
    }

    private Guest.Gfn[] MapEvery(OwnerHandle owner, string[] stems)
    {
        var gfns = stems.Select((_, i) => _guest.RefcountedGfn(i)).ToArray();
        for (var i = 0; i < stems.Length; i++)
        {
            Assert.True(owner.Map(stems[i], _guest.Pinned, gfns[i]).IsMapped);
        }

        return gfns;
    }
}
