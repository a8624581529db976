using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Scenarios;

/// <summary>
/// CVE-2021-22543 replayed step by step with <see cref="KvmPolicy.Pre2021"/> (hva_to_pfn_remapped's kvm_get_pfn,
/// before f8be156be163): a GPU driver's non-compound block behind a PfnMap VMA, faulted into a guest. The block's
/// pages past the first are valid but not refcounted; the fault pins one unconditionally and its release frees it
/// under the driver. <see cref="KvmPolicy.Fix2021"/> (kvm_try_get_pfn) refuses the same fault.
/// </summary>
public sealed class Cve202122543Tests
{
    private readonly TestMachine _machine = new(pages: 1024);

    private DriverBlock StartGuestWithDriverBlock(KvmPolicy policy, out Vm vm)
    {
        vm = _machine.CreateGuest(ramPages: 16, policy).Vm;
        return _machine.ExposeDriverBlock(vm, new Gfn(0x100));
    }

    [Fact]
    public void Unconditional_pin_of_a_driver_tail_is_the_first_thing_reported()
    {
        var block = StartGuestWithDriverBlock(KvmPolicy.Pre2021, out var vm);

        vm.HandleFault(block.GfnOf(1));

        var first = _machine.Findings[0];
        Assert.Equal(FindingKind.PinOfNonRefcountedPage, first.Kind);
        Assert.Equal(block.PfnOf(1), first.Pfn);
        Assert.Equal("Pin", first.Operation);
    }

    [Fact]
    public void Releasing_that_pin_frees_the_page_under_the_driver_while_host_and_guest_still_map_it()
    {
        var block = StartGuestWithDriverBlock(KvmPolicy.Pre2021, out var vm);

        Assert.Equal(FaultResult.Installed, vm.HandleFault(block.GfnOf(1)));

        Assert.Equal(
            new[] { FindingKind.PinOfNonRefcountedPage, FindingKind.FreedUnderDriver, FindingKind.FreedWhileMapped, },
            _machine.FindingKinds());
        Assert.True(_machine.Memory.IsFree(block.PfnOf(1)));
        Assert.True(vm.Stage2.TryLookup(block.GfnOf(1), out var mapped));
        Assert.Equal(block.PfnOf(1), mapped);
    }

    [Fact]
    public void The_freed_frame_is_handed_to_the_next_allocation_while_the_guest_maps_it()
    {
        var block = StartGuestWithDriverBlock(KvmPolicy.Pre2021, out var vm);
        vm.HandleFault(block.GfnOf(1));

        var strangersPage = _machine.Memory.Allocate();

        Assert.Equal(block.PfnOf(1), strangersPage);
        Assert.True(vm.Stage2.TryLookup(block.GfnOf(1), out var guestSees));
        Assert.Equal(strangersPage, guestSees);
    }

    [Fact]
    public void The_driver_freeing_its_block_afterwards_frees_the_strangers_page_again()
    {
        var block = StartGuestWithDriverBlock(KvmPolicy.Pre2021, out var vm);
        vm.HandleFault(block.GfnOf(1));
        _machine.Memory.Allocate();
        _machine.Sanitizer.Clear();

        block.TearDown(_machine.Mm);

        Assert.Equal(FindingKind.DoubleFree, Assert.Single(_machine.Findings).Kind);
    }

    [Fact]
    public void With_the_2021_fix_the_fault_fails_cleanly_and_nothing_is_freed()
    {
        var block = StartGuestWithDriverBlock(KvmPolicy.Fix2021, out var vm);

        var result = vm.HandleFault(block.GfnOf(1));

        Assert.Equal(FaultResult.Refused, result);
        Assert.Equal(0, vm.Stage2.Count);
        Assert.True(_machine.Memory.IsDriverOwned(block.PfnOf(1)));
        Assert.Empty(_machine.Findings);
    }

    [Fact]
    public void With_the_2021_fix_the_refcounted_first_page_still_maps_and_its_reference_is_released()
    {
        var block = StartGuestWithDriverBlock(KvmPolicy.Fix2021, out var vm);

        var result = vm.HandleFault(block.GfnOf(0));

        Assert.Equal(FaultResult.Installed, result);
        Assert.Equal(1, _machine.Memory.RefCount(block.PfnOf(0)));
        Assert.Empty(_machine.Findings);
    }

    [Fact]
    public void With_the_2021_fix_mmio_is_accepted_with_no_reference()
    {
        // kvm_try_get_pfn: kvm_is_reserved_pfn() is true for a PFN with no struct page, which passes untouched.
        var vm = _machine.CreateGuest(ramPages: 16, KvmPolicy.Fix2021).Vm;
        _machine.ExposeMmio(vm, new Gfn(0x200));

        Assert.True(vm.TryMapOutOfBand(new Gfn(0x200), "posted interrupt descriptor", out var map, out _));

        Assert.False(map!.IsPinned);
        map.Unmap();
        Assert.Empty(_machine.Findings);
    }

    [Fact]
    public void Before_the_fix_a_guest_page_pin_of_mmio_takes_no_reference_and_its_release_puts_none()
    {
        // kvm_get_pfn / kvm_release_pfn_clean both skip a PFN for which kvm_is_reserved_pfn() is true.
        var vm = _machine.CreateGuest(ramPages: 16, KvmPolicy.Pre2021).Vm;
        _machine.ExposeMmio(vm, new Gfn(0x200));

        Assert.True(vm.TryPinGuestPage(new Gfn(0x200), out var pfn, out _));
        vm.ReleaseGuestPage(pfn);

        Assert.Empty(_machine.Findings);
        Assert.Equal(0, vm.LivePinCount);
    }

    [Fact]
    public void With_the_2021_fix_the_out_of_band_map_refuses_the_tail_as_not_refcounted()
    {
        var block = StartGuestWithDriverBlock(KvmPolicy.Fix2021, out var vm);

        Assert.False(vm.TryMapOutOfBand(block.GfnOf(1), "apic page", out _, out var refusal));

        Assert.Equal(PinRefusal.NotRefcounted, refusal);
        Assert.Empty(_machine.Findings);
    }

    [Fact]
    public void With_the_2021_fix_the_out_of_band_map_still_pins_the_refcounted_first_page_behind_pfnmap()
    {
        // The 2021 fix pinned any refcounted page it found behind a PfnMap VMA; 6.13 refuses it (RemappedMemory).
        var block = StartGuestWithDriverBlock(KvmPolicy.Fix2021, out var vm);

        Assert.True(vm.TryMapOutOfBand(block.GfnOf(0), "vmcs12", out var map, out _));

        Assert.True(map!.IsPinned);
        Assert.Equal(2, _machine.Memory.RefCount(block.PfnOf(0)));
        map.Unmap();
        Assert.Equal(1, _machine.Memory.RefCount(block.PfnOf(0)));
    }

    [Fact]
    public void With_the_2021_fix_a_fault_on_a_compound_tail_is_refused_because_the_raw_page_has_no_count()
    {
        // kvm_try_get_pfn (f8be156be163) called get_page_unless_zero(pfn_to_page(pfn)): a compound tail's own
        // count is 0, so the try-get failed even though its head is referenced.
        var vm = _machine.CreateGuest(ramPages: 16, KvmPolicy.Fix2021).Vm;
        var head = ExposeCompoundBlock(vm, new Gfn(0x300));

        Assert.Equal(FaultResult.Refused, vm.HandleFault(new Gfn(0x301)));

        Assert.Equal(0, vm.Stage2.Count);
        Assert.Equal(1, _machine.Memory.RefCount(head));
        Assert.Empty(_machine.Findings);
    }

    [Fact]
    public void With_the_2021_fix_the_out_of_band_map_refuses_a_compound_tail_as_not_refcounted()
    {
        var vm = _machine.CreateGuest(ramPages: 16, KvmPolicy.Fix2021).Vm;
        var head = ExposeCompoundBlock(vm, new Gfn(0x300));

        Assert.False(vm.TryMapOutOfBand(new Gfn(0x301), "apic page", out _, out var refusal));

        Assert.Equal(PinRefusal.NotRefcounted, refusal);
        Assert.Equal(1, _machine.Memory.RefCount(head));
    }

    // A compound order-1 block behind a PfnMap VMA: gfn base maps the head, base + 1 the tail.
    private Pfn ExposeCompoundBlock(Vm vm, Gfn baseGfn)
    {
        var head = _machine.Memory.Allocate(1, AllocationKind.Compound);
        var bar = _machine.Mm.Mmap(2, VmaFlags.PfnMap, "compound bar");
        _machine.Mm.InsertPfn(bar.Start, head);
        _machine.Mm.InsertPfn(bar.Start.AddPages(1), head.Add(1));
        vm.AddMemslot(baseGfn, 2, bar.Start);
        return head;
    }
}
