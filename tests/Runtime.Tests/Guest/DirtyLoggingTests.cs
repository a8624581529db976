using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Guest;

/// <summary>Dirty logging: one bitmap per memslot, filled by writable installs and out-of-band writes, emptied by reading it.</summary>
public sealed class DirtyLoggingTests : GuestTestBase
{
    private static readonly Gfn LoggedBase = new(0x400);

    private Memslot AddLoggedSlot(ulong pages = 4)
    {
        var vma = Machine.Mm.Mmap(pages, VmaFlags.Normal, "logged ram");
        return Vm.AddMemslot(LoggedBase, pages, vma.Start, MemslotFlags.LogDirtyPages);
    }

    [Fact]
    public void A_guest_write_is_logged_in_its_memslot()
    {
        var slot = AddLoggedSlot();

        Vm.HandleFault(LoggedBase.Add(2), write: true);

        Assert.True(slot.IsDirty(LoggedBase.Add(2)));
        Assert.False(slot.IsDirty(LoggedBase.Add(1)));
    }

    [Fact]
    public void Reading_the_log_returns_the_written_frames_and_clears_it()
    {
        var slot = AddLoggedSlot();
        Vm.HandleFault(LoggedBase.Add(1), write: true);
        Vm.HandleFault(LoggedBase.Add(3), write: true);

        Assert.Equal(new[] { LoggedBase.Add(1), LoggedBase.Add(3) }, Vm.GetDirtyLog(slot));
        Assert.Empty(Vm.GetDirtyLog(slot));
    }

    [Fact]
    public void Reading_the_log_write_protects_the_frames_so_the_next_write_is_logged_again()
    {
        var slot = AddLoggedSlot();
        Vm.HandleFault(LoggedBase, write: true);
        Vm.GetDirtyLog(slot);

        Assert.Equal(FaultResult.Installed, Vm.HandleFault(LoggedBase, write: true));

        Assert.True(slot.IsDirty(LoggedBase));
    }

    [Fact]
    public void A_slot_without_dirty_logging_logs_nothing()
    {
        Vm.HandleFault(new Gfn(2), write: true);

        Vm.TryFindMemslot(new Gfn(2), out var slot);
        Assert.False(slot!.IsDirty(new Gfn(2)));
    }

    [Fact]
    public void Unmapping_a_writable_out_of_band_map_logs_its_frame()
    {
        // kvm_vcpu_unmap: map->writable -> kvm_vcpu_mark_page_dirty.
        var slot = AddLoggedSlot();
        Vm.TryMapOutOfBand(LoggedBase.Add(1), "vmcs12", out var map, out _);

        map!.Unmap();

        Assert.True(slot.IsDirty(LoggedBase.Add(1)));
    }

    [Fact]
    public void Unmapping_a_read_only_out_of_band_map_logs_nothing()
    {
        var slot = AddLoggedSlot();
        Vm.TryMapOutOfBand(LoggedBase.Add(1), "vmcs12", writable: false, out var map, out _);

        map!.Unmap();

        Assert.False(slot.IsDirty(LoggedBase.Add(1)));
    }

    [Fact]
    public void A_hardware_write_through_an_out_of_band_map_is_logged()
    {
        // nested_mark_vmcs12_pages_dirty marks the virtual-APIC page and PI descriptor the CPU writes.
        var slot = AddLoggedSlot();
        Vm.TryMapOutOfBand(LoggedBase, "virtual apic page", out var map, out _);

        map!.MarkDirty();

        Assert.True(slot.IsDirty(LoggedBase));
        map.Unmap();
    }

    [Fact]
    public void Turning_dirty_logging_on_write_protects_the_slots_stage2_entries()
    {
        var vma = Machine.Mm.Mmap(2, VmaFlags.Normal, "ram");
        var slot = Vm.AddMemslot(LoggedBase, 2, vma.Start);
        Vm.HandleFault(LoggedBase, write: true);

        Vm.SetDirtyLogging(slot, true);

        Vm.Stage2.TryLookup(LoggedBase, out _, out var writable);
        Assert.False(writable);
        Assert.True(slot.IsDirtyLogging);
    }
}
