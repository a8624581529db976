using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Host;

/// <summary>Host details KVM depends on: special PTEs in MixedMap VMAs, PTE write bits, and munmap of nothing.</summary>
public sealed class HostFidelityTests : MemoryTestBase
{
    [Fact]
    public void Gup_fails_on_a_special_pte_in_a_mixedmap_vma()
    {
        // vmf_insert_mixed maps a frame without a struct page with pte_mkspecial; vm_normal_page() then gives GUP nothing.
        var device = Memory.RegisterDeviceRange(new Pfn(0x100000), 1, "bar");
        var vma = Machine.Mm.Mmap(1, VmaFlags.MixedMap, "mixed");
        Machine.Mm.InsertPfn(vma.Start, device.First);

        Assert.False(Machine.Mm.TryGetUserPages(vma.Start, out _));
    }

    [Fact]
    public void Gup_takes_a_reference_on_an_ordinary_page_in_a_mixedmap_vma()
    {
        var page = Memory.Allocate();
        var vma = Machine.Mm.Mmap(1, VmaFlags.MixedMap, "mixed");
        Machine.Mm.InsertPfn(vma.Start, page);

        Assert.True(Machine.Mm.TryGetUserPages(vma.Start, out var pinned));

        Assert.Equal(2, Memory.RefCount(pinned));
        Memory.Unpin(pinned);
    }

    [Fact]
    public void Gup_fails_on_a_special_pte_even_over_a_refcounted_page_in_a_pfnmap_vma()
    {
        var page = Memory.Allocate();
        var vma = Machine.Mm.Mmap(1, VmaFlags.PfnMap, "remapped");
        Machine.Mm.InsertPfn(vma.Start, page);

        Assert.False(Machine.Mm.TryGetUserPages(vma.Start, out _));
        Assert.Equal(1, Memory.RefCount(page));
    }

    [Fact]
    public void A_driver_pte_is_read_only_in_a_read_only_vma_whatever_the_driver_asks()
    {
        var vma = Machine.Mm.Mmap(1, VmaFlags.PfnMap | VmaFlags.ReadOnly, "ro bar");
        Machine.Mm.InsertPfn(vma.Start, Memory.Allocate(), writable: true);

        Assert.True(Machine.Mm.TryFollowPte(vma.Start, out _, out var writable));
        Assert.False(writable);
    }

    [Fact]
    public void Write_gup_on_a_read_only_vma_fails_without_throwing()
    {
        var vma = Machine.Mm.Mmap(1, VmaFlags.ReadOnly, "ro anon");

        Assert.False(Machine.Mm.TryGetUserPages(vma.Start, write: true, out _, out _));
    }

    [Fact]
    public void Gup_returns_false_when_memory_is_exhausted()
    {
        var machine = new TestMachine(pages: 1);
        machine.Memory.Allocate();
        var vma = machine.Mm.Mmap(1, VmaFlags.Normal, "anon");

        Assert.False(machine.Mm.TryGetUserPages(vma.Start, out _));
    }

    [Fact]
    public void A_second_munmap_of_the_same_range_is_noted_not_reported_as_a_bug()
    {
        var finding = MunmapTwice(out _);

        Assert.Equal(FindingKind.UnmapOfUnmappedRange, finding.Kind);
        Assert.Equal(FindingSeverity.Note, finding.Severity);
        Assert.Equal(0, Machine.Sanitizer.BugCount);
    }

    [Fact]
    public void The_double_munmap_note_carries_the_range_instead_of_a_frame()
    {
        var finding = MunmapTwice(out var range);

        Assert.Equal(range, finding.Range);
        Assert.StartsWith("[UnmapOfUnmappedRange] " + range, finding.ToString(), System.StringComparison.Ordinal);
    }

    // Maps two pages, unmaps them, unmaps them again, and returns the one finding the second munmap left.
    private Finding MunmapTwice(out HostRange range)
    {
        var vma = Machine.Mm.Mmap(2, VmaFlags.Normal, "anon");
        range = HostRange.OfPages(vma.Start, 2);
        Machine.Mm.Munmap(vma.Start, 2);

        Machine.Mm.Munmap(vma.Start, 2);

        return Assert.Single(Machine.Findings);
    }

    [Fact]
    public void A_note_does_not_throw_in_throw_mode()
    {
        var machine = new TestMachine(pages: 64, SanitizerMode.Throw);

        machine.Mm.Munmap(HostVirtualAddress.FromPage(0x900000), 1);

        Assert.Equal(FindingKind.UnmapOfUnmappedRange, Assert.Single(machine.Findings).Kind);
    }

    [Fact]
    public void A_munmap_of_nothing_does_not_run_the_notifiers()
    {
        var machine = new TestMachine(pages: 64);
        var guest = machine.CreateGuest(ramPages: 4);
        var before = guest.Vm.Invalidations.Value;

        machine.Mm.Munmap(HostVirtualAddress.FromPage(0x900000), 1);

        Assert.Equal(before, guest.Vm.Invalidations.Value);
    }
}
