using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using MmuGuard.Sanitizer;
using Xunit;

namespace MmuGuard.Runtime.Tests.Physical;

/// <summary>
/// FOLL_PIN against FOLL_GET: <c>pin_user_pages</c>/<c>unpin_user_page</c> count as <c>try_grab_folio</c> and
/// <c>gup_put_folio</c> do (mm/gup.c, Linux 6.13), and releasing one kind with the other's call is reported.
/// </summary>
public sealed class ReferenceKindTests : MemoryTestBase
{
    [Fact]
    public void Pin_of_an_order_0_page_adds_the_pin_counting_bias()
    {
        var page = Memory.Allocate();

        Assert.True(Memory.TryPinUserPage(page));

        Assert.Equal(1 + PhysicalMemory.PinCountingBias, Memory.RefCount(page));
        Assert.Equal(1, Memory.PinCount(page));
    }

    [Fact]
    public void Pin_through_a_compound_tail_adds_one_to_the_head_and_one_pin()
    {
        var head = Memory.Allocate(order: 2, AllocationKind.Compound);

        Assert.True(Memory.TryPinUserPage(head.Add(3)));

        Assert.Equal(2, Memory.RefCount(head));
        Assert.Equal(1, Memory.PinCount(head.Add(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Unpin_user_page_releases_a_pin_without_a_finding(int order)
    {
        var head = Memory.Allocate(order, AllocationKind.Compound);
        Memory.TryPinUserPage(head);

        Memory.UnpinUserPage(head);

        Assert.Equal(1, Memory.RefCount(head));
        Assert.Equal(0, Memory.PinCount(head));
        Assert.Empty(Machine.Findings);
    }

    [Fact]
    public void Pins_and_gets_released_with_their_own_calls_in_any_order_report_nothing()
    {
        var page = Memory.Allocate();
        Memory.TryPinUserPage(page);
        Memory.TryPin(page);
        Memory.TryPinUserPage(page);

        Memory.Unpin(page);
        Memory.UnpinUserPage(page);
        Memory.Unpin(page);
        Memory.UnpinUserPage(page);

        Assert.True(Memory.IsFree(page));
        Assert.Empty(Machine.Findings);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Put_page_when_only_pins_are_left_is_a_mismatched_release(int order)
    {
        var head = Memory.Allocate(order, AllocationKind.Compound);
        Memory.TryPinUserPage(head.Add((1UL << order) - 1));
        Memory.Unpin(head); // the allocation's own reference: legitimate

        Memory.Unpin(head); // the pin, released with put_page

        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.MismatchedRelease, finding.Kind);
        Assert.Equal(head, finding.Pfn);
        Assert.Equal(nameof(PhysicalMemory.Unpin), finding.Operation);
        Assert.Contains("unpin_user_page", finding.Detail);
    }

    [Fact]
    public void Mismatched_put_page_drops_the_pin_so_the_page_is_freed_by_its_last_release()
    {
        var page = Memory.Allocate();
        Memory.TryPinUserPage(page);
        Memory.Unpin(page);

        Memory.Unpin(page);

        Assert.True(Memory.IsFree(page));
        Assert.Equal(0, Memory.PinCount(page));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Unpin_user_page_on_a_page_holding_no_pin_is_a_mismatched_release(int order)
    {
        var head = Memory.Allocate(order, AllocationKind.Compound);
        Memory.TryPin(head);

        Memory.UnpinUserPage(head);

        var finding = Assert.Single(Machine.Findings);
        Assert.Equal(FindingKind.MismatchedRelease, finding.Kind);
        Assert.Equal(nameof(PhysicalMemory.UnpinUserPage), finding.Operation);
        Assert.Contains("put_page", finding.Detail);
    }

    [Fact]
    public void Mismatched_unpin_user_page_drops_one_plain_reference()
    {
        var page = Memory.Allocate();
        Memory.TryPin(page);

        Memory.UnpinUserPage(page);

        Assert.Equal(1, Memory.RefCount(page));
        Assert.False(Memory.IsFree(page));
    }

    [Fact]
    public void Unpin_user_page_of_a_page_with_no_reference_is_reported_below_zero()
    {
        var page = Memory.Allocate();
        Memory.Unpin(page);

        Memory.UnpinUserPage(page);

        Assert.Equal(FindingKind.UnpinBelowZero, Assert.Single(Machine.Findings).Kind);
    }

    [Fact]
    public void Freeing_the_last_pin_of_a_driver_page_is_reported_as_freed_under_driver()
    {
        var first = Memory.Allocate(order: 1, AllocationKind.NonCompound);
        Memory.Pin(first.Add(1));
        Memory.TryPinUserPage(first.Add(1));
        Memory.Unpin(first.Add(1));

        Memory.UnpinUserPage(first.Add(1));

        Assert.Equal(FindingKind.FreedUnderDriver, Assert.Single(Machine.Findings, f => f.Kind != FindingKind.PinOfNonRefcountedPage).Kind);
    }

    [Fact]
    public void Put_page_by_a_pinner_while_the_owner_still_holds_its_reference_is_seen_at_the_owners_release()
    {
        var page = Memory.Allocate();
        Memory.TryPinUserPage(page);
        Memory.Unpin(page); // the pinner's mistake: the counts still add up (one plain reference appears released)
        Assert.Empty(Machine.Findings);

        Memory.Unpin(page); // the owner's correct release finds only the pin left

        Assert.Equal(FindingKind.MismatchedRelease, Assert.Single(Machine.Findings).Kind);
    }

    [Fact]
    public void Pin_count_of_an_order_0_page_reads_1024_plain_references_as_one_pin_as_the_kernel_does()
    {
        var page = Memory.Allocate();

        for (var i = 1; i < PhysicalMemory.PinCountingBias; i++)
        {
            Memory.Pin(page);
        }

        Assert.Equal(PhysicalMemory.PinCountingBias, Memory.RefCount(page));
        Assert.Equal(1, Memory.PinCount(page));
    }
}
