using System.Collections.Generic;
using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Scenarios;

/// <summary>
/// One sequence of events replayed under each <see cref="KvmPolicy"/>: a driver exposes a tail page of a
/// non-compound block through a PfnMap VMA; the guest faults it into stage-2; a nested entry maps it out of band
/// (the virtual-APIC page); the nested exit unmaps it; the driver tears the block down; a stranger allocates.
/// </summary>
public sealed class KvmPolicyScenarioTests
{
    private static readonly Gfn BarGfn = new(0x100);

    [Fact]
    public void Pre2021_gives_the_use_after_free_and_the_sanitizer_finds_it()
    {
        var replay = Replay(KvmPolicy.Pre2021);

        Assert.Equal(FaultResult.Installed, replay.Fault);
        Assert.Contains(FindingKind.FreedUnderDriver, replay.Findings);
        Assert.Contains(FindingKind.FreedWhileMapped, replay.Findings);
    }

    [Fact]
    public void Fix2021_refuses_the_fault_and_the_map_safely()
    {
        var replay = Replay(KvmPolicy.Fix2021);

        Assert.Equal(FaultResult.Refused, replay.Fault);
        Assert.Equal(PinRefusal.NotRefcounted, replay.MapRefusal);
        Assert.Empty(replay.Findings);
    }

    [Fact]
    public void Kvm613_maps_stage2_without_a_pin_and_refuses_the_pinned_map_as_remapped_memory()
    {
        var replay = Replay(KvmPolicy.Kvm613);

        Assert.Equal(FaultResult.Installed, replay.Fault);
        Assert.Equal(PinRefusal.RemappedMemory, replay.MapRefusal);
        Assert.Empty(replay.Findings);
    }

    [Fact]
    public void Allow_unsafe_mappings_maps_out_of_band_with_no_pin_and_reports_it_as_trusted_not_as_a_bug()
    {
        var replay = Replay(KvmPolicy.Kvm613, allowUnsafeMappings: true);

        Assert.Equal(PinRefusal.None, replay.MapRefusal);
        Assert.False(replay.MapWasPinned);
        Assert.Equal(0, replay.RefCountWhileMapped);
        var finding = Assert.Single(replay.Sanitizer.Findings);
        Assert.Equal(FindingKind.TrustedUnsafeMapping, finding.Kind);
        Assert.Equal(FindingSeverity.TrustedUnsafe, finding.Severity);
        Assert.Equal(0, replay.Sanitizer.BugCount);
    }

    [Fact]
    public void A_trusted_unsafe_map_left_in_place_while_the_driver_frees_the_page_is_a_bug()
    {
        var replay = Replay(KvmPolicy.Kvm613, allowUnsafeMappings: true, unmapBeforeTeardown: false);

        Assert.Contains(FindingKind.FreedWhileMapped, replay.Findings);
    }

    [Fact]
    public void Allow_unsafe_mappings_does_not_exist_before_6_13()
    {
        var machine = new TestMachine(pages: 64);

        Assert.Throws<System.ArgumentException>(() => new Vm(machine.Mm, "vm", KvmPolicy.Fix2021, allowUnsafeMappings: true));
    }

    [Fact]
    public void Trusted_unsafe_findings_do_not_throw_in_throw_mode()
    {
        var machine = new TestMachine(pages: 1024, SanitizerMode.Throw);
        var vm = machine.CreateGuest(ramPages: 16, KvmPolicy.Kvm613, allowUnsafeMappings: true).Vm;
        var block = machine.ExposeDriverBlock(vm, BarGfn);

        Assert.True(vm.TryMapOutOfBand(block.GfnOf(2), "virtual apic page", out var map, out _));

        map!.Unmap();
        Assert.Single(machine.Findings);
    }

    private static PolicyReplay Replay(KvmPolicy policy, bool allowUnsafeMappings = false, bool unmapBeforeTeardown = true)
    {
        var machine = new TestMachine(pages: 1024);
        var vm = machine.CreateGuest(ramPages: 16, policy, allowUnsafeMappings).Vm;
        var block = machine.ExposeDriverBlock(vm, BarGfn);
        var tail = block.GfnOf(2);

        var fault = vm.CreateVcpu().Access(tail);
        vm.TryMapOutOfBand(tail, "vmcs02 virtual-APIC page", out var map, out var refusal);
        var refCountWhileMapped = machine.Memory.IsFree(block.PfnOf(2)) ? -1 : machine.Memory.RefCount(block.PfnOf(2));
        var pinned = map?.IsPinned ?? false;
        if (unmapBeforeTeardown)
        {
            map?.Unmap();
        }

        block.TearDown(machine.Mm);
        machine.Memory.Allocate();
        return new PolicyReplay(fault, refusal, pinned, refCountWhileMapped, machine.Sanitizer, machine.FindingKinds());
    }

    private sealed record PolicyReplay(
        FaultResult Fault,
        PinRefusal MapRefusal,
        bool MapWasPinned,
        int RefCountWhileMapped,
        MmuSanitizer Sanitizer,
        List<FindingKind> Findings);
}
