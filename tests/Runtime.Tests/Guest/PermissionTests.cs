using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Mapping;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

/// <summary>Write permission end to end: VMA flags, the PTE write bit, FOLL_WRITE, map_writable, read-only memslots and stage-2 W bits.</summary>
public sealed class PermissionTests : GuestTestBase
{
    private static readonly Gfn ReadOnlyGfn = new(0x300);

    // Writable host memory behind a KVM_MEM_READONLY memslot (emulated flash).
    private void AddReadOnlyFlashSlot()
    {
        var vma = Machine.Mm.Mmap(1, VmaFlags.Normal, "flash");
        Vm.AddMemslot(ReadOnlyGfn, 1, vma.Start, MemslotFlags.ReadOnly);
    }

    // A host VMA mapped PROT_READ behind an ordinary memslot.
    private void AddRomSlot()
    {
        var vma = Machine.Mm.Mmap(1, VmaFlags.ReadOnly, "rom image");
        Vm.AddMemslot(ReadOnlyGfn, 1, vma.Start);
    }

    [Fact]
    public void Read_fault_on_written_ram_maps_it_writable_in_stage2()
    {
        // hva_to_pfn_slow: a read fault is mapped writable when the host PTE already allows writes (map_writable).
        Machine.Mm.FaultIn(Guest.Ram.Start.AddPages(3));

        Vm.HandleFault(new Gfn(3));

        Assert.True(Vm.Stage2.TryLookup(new Gfn(3), out _, out var writable));
        Assert.True(writable);
    }

    [Fact]
    public void Read_fault_on_untouched_ram_maps_the_zero_page_read_only()
    {
        Vm.HandleFault(new Gfn(3));

        Assert.True(Vm.Stage2.TryLookup(new Gfn(3), out var pfn, out var writable));
        Assert.True(Machine.Mm.IsZeroPage(pfn));
        Assert.False(writable);
    }

    [Fact]
    public void Write_after_a_read_breaks_copy_on_write_and_the_fault_retries_once()
    {
        // The COW runs the MMU notifiers inside GUP, after the fault's snapshot: mmu_invalidate_retry_gfn says retry.
        Vm.HandleFault(new Gfn(3));

        Assert.Equal(FaultResult.Retry, Vm.HandleFault(new Gfn(3), write: true));
        Assert.Equal(FaultResult.Installed, Vm.HandleFault(new Gfn(3), write: true));

        Assert.True(Vm.Stage2.TryLookup(new Gfn(3), out var pfn, out var writable));
        Assert.False(Machine.Mm.IsZeroPage(pfn));
        Assert.True(writable);
        Assert.Equal(1, Machine.Memory.RefCount(pfn));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Breaking_copy_on_write_zaps_the_read_only_stage2_view_of_the_zero_page()
    {
        Vm.HandleFault(new Gfn(3));

        Machine.Mm.FaultIn(Guest.Ram.Start.AddPages(3));

        Assert.False(Vm.Stage2.TryLookup(new Gfn(3), out _));
    }

    [Fact]
    public void A_vcpu_write_after_a_read_ends_on_a_private_writable_page()
    {
        var vcpu = Vm.CreateVcpu();
        vcpu.Access(new Gfn(3));

        Assert.Equal(FaultResult.Installed, vcpu.Access(new Gfn(3), write: true));
        Assert.Equal(1, vcpu.Retries);
    }

    [Fact]
    public void Write_fault_marks_the_page_dirty_and_accessed_when_kvm_releases_it()
    {
        Vm.HandleFault(new Gfn(3), write: true);

        Vm.Stage2.TryLookup(new Gfn(3), out var pfn);
        Assert.True(Machine.Memory.IsDirty(pfn));
        Assert.True(Machine.Memory.IsAccessed(pfn));
        Assert.Equal(1, Machine.Memory.RefCount(pfn));
    }

    [Fact]
    public void Write_fault_on_a_read_only_vma_is_refused_like_kvm_pfn_err_fault()
    {
        AddRomSlot();

        Assert.Equal(FaultResult.Refused, Vm.HandleFault(ReadOnlyGfn, write: true));
        Assert.Equal(0, Vm.Stage2.Count);
    }

    [Fact]
    public void Read_fault_on_a_read_only_vma_maps_it_read_only()
    {
        AddRomSlot();

        Assert.Equal(FaultResult.Installed, Vm.HandleFault(ReadOnlyGfn));

        Vm.Stage2.TryLookup(ReadOnlyGfn, out _, out var writable);
        Assert.False(writable);
    }

    [Fact]
    public void Write_to_a_read_only_memslot_is_a_read_only_fault()
    {
        AddReadOnlyFlashSlot();

        Assert.Equal(FaultResult.ReadOnlyFault, Vm.HandleFault(ReadOnlyGfn, write: true));
    }

    [Fact]
    public void Read_of_a_read_only_memslot_maps_read_only_even_over_writable_host_memory()
    {
        AddReadOnlyFlashSlot();

        Vm.HandleFault(ReadOnlyGfn);

        Vm.Stage2.TryLookup(ReadOnlyGfn, out _, out var writable);
        Assert.False(writable);
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Write_to_a_stage2_entry_mapped_read_only_is_a_permission_fault_that_resolves_again()
    {
        var vma = Machine.Mm.Mmap(1, VmaFlags.Normal, "ram");
        var slot = Vm.AddMemslot(ReadOnlyGfn, 1, vma.Start);
        Machine.Mm.FaultIn(vma.Start);
        Vm.HandleFault(ReadOnlyGfn);
        Vm.SetDirtyLogging(slot, true); // write-protects the entry

        Assert.Equal(FaultResult.Installed, Vm.HandleFault(ReadOnlyGfn, write: true));

        Vm.Stage2.TryLookup(ReadOnlyGfn, out _, out var writable);
        Assert.True(writable);
    }

    [Fact]
    public void Write_fault_on_a_read_only_pfnmap_pte_is_a_read_only_fault_since_bd2fae8da794()
    {
        Machine.ExposeMmio(Vm, ReadOnlyGfn, writable: false);

        Assert.Equal(FaultResult.ReadOnlyFault, Vm.HandleFault(ReadOnlyGfn, write: true));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Read_fault_on_a_read_only_pfnmap_pte_maps_it_read_only()
    {
        Machine.ExposeMmio(Vm, ReadOnlyGfn, writable: false);

        Assert.Equal(FaultResult.Installed, Vm.HandleFault(ReadOnlyGfn));

        Vm.Stage2.TryLookup(ReadOnlyGfn, out _, out var writable);
        Assert.False(writable);
    }

    [Fact]
    public void Writable_out_of_band_map_of_a_read_only_memslot_is_refused()
    {
        AddReadOnlyFlashSlot();

        Assert.False(Vm.TryMapOutOfBand(ReadOnlyGfn, "vmcs12", out _, out var refusal));

        Assert.Equal(PinRefusal.ReadOnly, refusal);
    }

    [Fact]
    public void Read_only_out_of_band_map_of_a_read_only_memslot_pins_the_page()
    {
        AddReadOnlyFlashSlot();

        Assert.True(Vm.TryMapOutOfBand(ReadOnlyGfn, "vmcs12", writable: false, out var map, out _));

        Assert.True(map!.IsPinned);
        Assert.False(map.IsWritable);
        map.Unmap();
    }
}

/// <summary>bd2fae8da794 ("KVM: do not assume PTE is writable after follow_pfn"), the writable half of CVE-2021-22543.</summary>
public sealed class WritableBypassTests
{
    private static readonly Gfn MmioGfn = new(0x200);

    [Fact]
    public void Pre2021_maps_a_read_only_pfnmap_pte_writable_and_the_sanitizer_reports_it()
    {
        var machine = new TestMachine(pages: 256);
        var vm = machine.CreateGuest(ramPages: 4, KvmPolicy.Pre2021).Vm;
        machine.ExposeMmio(vm, MmioGfn, writable: false);

        Assert.Equal(FaultResult.Installed, vm.HandleFault(MmioGfn, write: true));

        vm.Stage2.TryLookup(MmioGfn, out _, out var writable);
        Assert.True(writable);
        var finding = Assert.Single(machine.Findings);
        Assert.Equal(FindingKind.WritableMappingOfReadOnlyPage, finding.Kind);
        Assert.Equal(TestMachine.MmioBase, finding.Pfn);
    }

    [Fact]
    public void Fix2021_turns_the_same_write_into_a_read_only_fault()
    {
        var machine = new TestMachine(pages: 256);
        var vm = machine.CreateGuest(ramPages: 4, KvmPolicy.Fix2021).Vm;
        machine.ExposeMmio(vm, MmioGfn, writable: false);

        Assert.Equal(FaultResult.ReadOnlyFault, vm.HandleFault(MmioGfn, write: true));
        Assert.Empty(machine.Findings);
    }
}
