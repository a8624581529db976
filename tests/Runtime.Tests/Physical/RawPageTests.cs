using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Physical;

/// <summary>
/// <c>get_page_unless_zero(pfn_to_page(pfn))</c>, the raw-page try-get of KVM's 2021 <c>kvm_try_get_pfn</c>
/// (virt/kvm/kvm_main.c, Linux 5.13, f8be156be163 "KVM: do not allow mapping valid but non-reference-counted pages"):
/// it reads the page's own count, not its compound head's.
/// </summary>
public sealed class RawPageTests : MemoryTestBase
{
    [Fact]
    public void Raw_get_fails_on_a_compound_tail_whose_own_count_is_zero()
    {
        var head = Memory.Allocate(order: 2, AllocationKind.Compound);

        Assert.False(Memory.TryGetRaw(head.Add(2)));
        Assert.Equal(1, Memory.RefCount(head));
    }

    [Fact]
    public void Try_pin_succeeds_on_the_same_compound_tail_through_its_head()
    {
        var head = Memory.Allocate(order: 2, AllocationKind.Compound);

        Assert.True(Memory.TryPin(head.Add(2)));
        Assert.Equal(2, Memory.RefCount(head));
    }

    [Fact]
    public void Raw_get_on_a_compound_head_counts_on_the_head()
    {
        var head = Memory.Allocate(order: 2, AllocationKind.Compound);

        Assert.True(Memory.TryGetRaw(head));
        Assert.Equal(2, Memory.RefCount(head.Add(1)));
    }

    [Fact]
    public void Raw_get_succeeds_on_reserved_memory_whose_base_count_is_one()
    {
        Memory.Reserve(new Pfn(4), 1);

        Assert.True(Memory.TryGetRaw(new Pfn(4)));
        Assert.Equal(2, Memory.RefCount(new Pfn(4)));
    }

    [Fact]
    public void Raw_reference_is_released_with_put_page_without_a_finding()
    {
        var page = Memory.Allocate();
        Memory.TryGetRaw(page);

        Memory.Unpin(page);

        Assert.Equal(1, Memory.RefCount(page));
        Assert.Empty(Machine.Findings);
    }
}
