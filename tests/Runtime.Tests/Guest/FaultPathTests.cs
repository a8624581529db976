using System;
using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

public sealed class FaultPathTests : GuestTestBase
{
    [Fact]
    public void Fault_on_guest_ram_installs_and_releases_the_gup_reference()
    {
        var result = Vm.HandleFault(new Gfn(3));

        Assert.Equal(FaultResult.Installed, result);
        Assert.True(Vm.Stage2.TryLookup(new Gfn(3), out var pfn));
        Assert.Equal(1, Machine.Memory.RefCount(pfn));
        Assert.True(Machine.Memory.IsAccessed(pfn));
    }

    [Fact]
    public void Fault_on_an_installed_frame_resolves_nothing()
    {
        Vm.HandleFault(new Gfn(3));

        Assert.Equal(FaultResult.AlreadyMapped, Vm.HandleFault(new Gfn(3)));
    }

    [Fact]
    public void Fault_on_a_driver_page_installs_it_without_a_pin()
    {
        var block = ExposeDriverBlock();

        var result = Vm.HandleFault(block.GfnOf(2));

        Assert.Equal(FaultResult.Installed, result);
        Assert.Equal(0, Machine.Memory.RefCount(block.PfnOf(2)));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Fault_on_mmio_installs_the_frame_without_descriptor()
    {
        Machine.ExposeMmio(Vm, new Gfn(0x200));

        Assert.Equal(FaultResult.Installed, Vm.HandleFault(new Gfn(0x200)));
        Assert.True(Vm.Stage2.TryLookup(new Gfn(0x200), out var pfn));
        Assert.Equal(TestMachine.MmioBase, pfn);
    }

    [Fact]
    public void Fault_outside_every_memslot_is_no_memslot()
    {
        Assert.Equal(FaultResult.NoMemslot, Vm.HandleFault(new Gfn(0x999)));
    }

    [Fact]
    public void Fault_on_a_memslot_withoutVma_is_not_present()
    {
        Vm.AddMemslot(new Gfn(0x300), 1, HostVirtualAddress.FromPage(0x900000));

        Assert.Equal(FaultResult.NotPresent, Vm.HandleFault(new Gfn(0x300)));
    }

    [Fact]
    public void Invalidation_between_resolve_and_install_forces_a_retry()
    {
        Vm.BeforeInstall = _ => Machine.Mm.ZapRange(Guest.Ram.Start, Guest.Ram.PageCount);

        var result = Vm.HandleFault(new Gfn(1));

        Assert.Equal(FaultResult.Retry, result);
        Assert.Equal(0, Vm.Stage2.Count);
    }

    [Fact]
    public void Retried_fault_releases_its_reference_so_the_zapped_page_is_freed()
    {
        var page = Machine.Mm.FaultIn(Guest.Ram.Start.AddPages(1));
        Vm.BeforeInstall = _ => Machine.Mm.ZapRange(Guest.Ram.Start, Guest.Ram.PageCount);

        Vm.HandleFault(new Gfn(1));

        Assert.True(Machine.Memory.IsFree(page));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Retried_driver_fault_installs_nothing_stale()
    {
        var block = ExposeDriverBlock();
        Vm.BeforeInstall = _ => Machine.Mm.ZapRange(block.Bar.Start, block.Bar.PageCount);

        Assert.Equal(FaultResult.Retry, Vm.HandleFault(block.GfnOf(0)));
        Assert.Equal(0, Vm.Stage2.Count);
    }

    [Fact]
    public void Vcpu_access_retries_a_raced_fault_until_it_installs()
    {
        var vcpu = Vm.CreateVcpu();
        var races = 2;
        Vm.BeforeInstall = _ =>
        {
            if (races-- > 0)
            {
                Machine.Mm.ZapRange(Guest.Ram.Start, 1);
            }
        };

        Assert.Equal(FaultResult.Installed, vcpu.Access(new Gfn(5)));
        Assert.Equal(2, vcpu.Retries);
        Assert.Equal(3, vcpu.Faults);
    }

    [Fact]
    public void Invalidation_zaps_exactly_the_stage2_entries_in_its_range()
    {
        for (ulong gfn = 0; gfn < 8; gfn++)
        {
            Vm.HandleFault(new Gfn(gfn));
        }

        Machine.Mm.ZapRange(Guest.Ram.Start.AddPages(2), 3);

        for (ulong gfn = 0; gfn < 8; gfn++)
        {
            Assert.Equal(gfn is < 2 or >= 5, Vm.Stage2.TryLookup(new Gfn(gfn), out _));
        }
    }

    [Fact]
    public void Removing_a_memslot_zaps_its_entries()
    {
        var block = ExposeDriverBlock();
        Vm.HandleFault(block.GfnOf(1));
        Vm.HandleFault(new Gfn(0));

        Vm.RemoveMemslot(Vm.Memslots[1]);

        Assert.False(Vm.Stage2.TryLookup(block.GfnOf(1), out _));
        Assert.True(Vm.Stage2.TryLookup(new Gfn(0), out _));
    }

    [Fact]
    public void Overlapping_memslot_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Vm.AddMemslot(new Gfn(4), 4, HostVirtualAddress.FromPage(0x800000)));

        Assert.Contains("overlaps memslot 0", error.Message);
    }

    [Fact]
    public void Fault_on_a_mixedmap_page_pins_only_while_it_installs()
    {
        var page = Machine.Memory.Allocate();
        var mixed = Machine.Mm.Mmap(1, VmaFlags.MixedMap, "mixed");
        Machine.Mm.InsertPfn(mixed.Start, page);
        Vm.AddMemslot(new Gfn(0x400), 1, mixed.Start);

        Assert.Equal(FaultResult.Installed, Vm.HandleFault(new Gfn(0x400)));
        Assert.Equal(1, Machine.Memory.RefCount(page));
    }

    [Fact]
    public void Fault_on_a_mixedmap_driver_tail_is_not_present()
    {
        var first = Machine.Memory.Allocate(order: 1, AllocationKind.NonCompound);
        var mixed = Machine.Mm.Mmap(1, VmaFlags.MixedMap, "mixed");
        Machine.Mm.InsertPfn(mixed.Start, first.Add(1));
        Vm.AddMemslot(new Gfn(0x400), 1, mixed.Start);

        Assert.Equal(FaultResult.NotPresent, Vm.HandleFault(new Gfn(0x400)));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Vcpu_gives_up_when_every_attempt_races_an_invalidation()
    {
        var vcpu = Vm.CreateVcpu();
        Vm.BeforeInstall = _ => Machine.Mm.ZapRange(Guest.Ram.Start, 1);

        Assert.Equal(FaultResult.Retry, vcpu.Access(new Gfn(0)));
        Assert.Equal(Vcpu.MaxFaultAttempts, vcpu.Retries);
    }

    [Fact]
    public void Reinstalling_a_frame_moves_the_mapping_to_the_new_frame()
    {
        var old = Machine.Memory.Allocate();
        var replacement = Machine.Memory.Allocate();
        Vm.Stage2.Install(new Gfn(9), old);

        Vm.Stage2.Install(new Gfn(9), replacement);

        Assert.Equal(0, Machine.Memory.MapCount(old));
        Assert.Equal(1, Machine.Memory.MapCount(replacement));
    }

    [Fact]
    public void Invalidating_a_range_far_larger_than_the_table_zaps_what_is_inside_it()
    {
        Vm.HandleFault(new Gfn(15));
        var block = ExposeDriverBlock();
        Vm.HandleFault(block.GfnOf(0));

        Machine.Mm.Munmap(Guest.Ram.Start, Guest.Ram.PageCount);

        Assert.False(Vm.Stage2.TryLookup(new Gfn(15), out _));
        Assert.True(Vm.Stage2.TryLookup(block.GfnOf(0), out _));
    }

    [Fact]
    public void Memslot_refuses_a_frame_outside_it()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Vm.Memslots[0].HostAddressOf(new Gfn(16)));

        Assert.Contains("outside memslot 0", error.Message);
    }
}
