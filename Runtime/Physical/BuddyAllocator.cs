using System;

namespace MmuGuard.Physical;

/// <summary>
/// The page allocator: buddy free lists per order plus a bounded LIFO hot list for order-0 frees (Linux's per-CPU
/// lists), so the frame freed last is the next one handed out and a use-after-free really hands it to a stranger.
/// </summary>
internal sealed class BuddyAllocator
{
    /// <summary>How reports name the allocator as a frame's owner.</summary>
    public const string Owner = "page allocator";

    // Bound on the hot list before it drains into the buddy lists, so freed frames still coalesce eventually.
    private const int HotListHigh = 64;
    private const int NoPage = PageDescriptors.NoPage;

    private readonly PageDescriptors _pages;
    private readonly PageFlags[] _flags;
    private readonly byte[] _order;
    private readonly int[] _refCount;
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly int[] _freeHeads = new int[PhysicalMemory.MaxOrder + 1];
    private int _hotHead = NoPage;
    private int _hotCount;

    /// <summary>Puts every frame of <paramref name="pages"/> in the allocator as the largest aligned blocks that fit.</summary>
    public BuddyAllocator(PageDescriptors pages)
    {
        _pages = pages;
        _flags = pages.Flags;
        _order = pages.Order;
        _refCount = pages.RefCount;
        _next = pages.ListNext;
        _prev = pages.ListPrev;
        Array.Fill(_freeHeads, NoPage);

        var pageCount = pages.Count;
        var index = 0;
        while (index < pageCount)
        {
            var order = PhysicalMemory.MaxOrder;
            while ((index & ((1 << order) - 1)) != 0 || index + (1 << order) > pageCount)
            {
                order--;
            }

            PushFreeBlock(index, order);
            index += 1 << order;
        }

        FreePages = pageCount;
    }

    /// <summary>The number of frames in the allocator.</summary>
    public long FreePages { get; private set; }

    /// <summary>
    /// Takes a block of 2^<paramref name="order"/> frames and prepares its descriptors (<c>prep_new_page</c>): the
    /// first frame gets a count of 1, compound tails count on the head, non-compound tails are the driver's.
    /// </summary>
    /// <returns>The first frame, or <see cref="PageDescriptors.NoPage"/> when no block of that order is left.</returns>
    public int Allocate(int order, AllocationKind kind)
    {
        var index = order == 0 && _hotHead != NoPage ? PopHot() : TakeBuddyBlock(order);
        if (index == NoPage && _hotCount > 0)
        {
            DrainHotList();
            index = TakeBuddyBlock(order);
        }

        if (index == NoPage)
        {
            return NoPage;
        }

        PrepareBlock(index, order, kind);
        FreePages -= 1 << order;
        return index;
    }

    /// <summary>Gives a block back: its frames become free with count 0, order-0 frames on the hot list.</summary>
    public void Free(int first, int order)
    {
        var end = first + (1 << order);
        for (var index = first; index < end; index++)
        {
            _flags[index] = PageFlags.Free;
            _refCount[index] = 0;
            _order[index] = 0;
        }

        FreePages += 1 << order;
        if (order != 0)
        {
            BuddyFree(first, order);
            return;
        }

        if (_hotCount >= HotListHigh)
        {
            DrainHotList();
        }

        _next[first] = _hotHead;
        _hotHead = first;
        _hotCount++;
    }

    /// <summary>Takes the free frames [<paramref name="start"/>, +<paramref name="count"/>) out for good, reserved with a base count of 1.</summary>
    /// <exception cref="InvalidOperationException">A frame in the range is not free.</exception>
    public void Reserve(int start, int count)
    {
        DrainHotList();
        for (var index = start; index < start + count; index++)
        {
            if ((_flags[index] & PageFlags.Free) == 0)
            {
                throw new InvalidOperationException($"Cannot reserve pfn 0x{index:x}: it is in use ({_pages.DescribeOwner(index)}); only free frames can be reserved.");
            }
        }

        for (var index = start; index < start + count; index++)
        {
            TakeOffBuddy(index);
            _flags[index] = PageFlags.Reserved;
            _refCount[index] = 1;
            FreePages--;
        }
    }

    private void PrepareBlock(int index, int order, AllocationKind kind)
    {
        var end = index + (1 << order);
        var tailFlags = order == 0 ? PageFlags.None : kind == AllocationKind.Compound ? PageFlags.CompoundTail : PageFlags.DriverOwned;
        for (var page = index; page < end; page++)
        {
            _flags[page] = tailFlags;
            _refCount[page] = 0;
            _order[page] = (byte)order;
        }

        _flags[index] = order == 0 ? PageFlags.None : kind == AllocationKind.Compound ? PageFlags.CompoundHead : PageFlags.BlockHead;
        _refCount[index] = 1;
        if (order != 0 && kind == AllocationKind.Compound)
        {
            _prev[index + 1] = 0; // the compound page's pin count, kept where a free list link was
        }
    }

    private int PopHot()
    {
        var index = _hotHead;
        _hotHead = _next[index];
        _hotCount--;
        return index;
    }

    private void DrainHotList()
    {
        while (_hotHead != NoPage)
        {
            BuddyFree(PopHot(), 0);
        }
    }

    private int TakeBuddyBlock(int order)
    {
        for (var current = order; current <= PhysicalMemory.MaxOrder; current++)
        {
            var index = _freeHeads[current];
            if (index == NoPage)
            {
                continue;
            }

            RemoveFromFreeList(index, current);
            while (current > order)
            {
                current--;
                PushFreeBlock(index + (1 << current), current);
            }

            return index;
        }

        return NoPage;
    }

    private void TakeOffBuddy(int index)
    {
        for (var order = 0; order <= PhysicalMemory.MaxOrder; order++)
        {
            var block = index & ~((1 << order) - 1);
            if ((_flags[block] & PageFlags.Buddy) == 0 || _order[block] != order)
            {
                continue;
            }

            RemoveFromFreeList(block, order);
            while (order > 0)
            {
                order--;
                var half = 1 << order;
                if (index < block + half)
                {
                    PushFreeBlock(block + half, order);
                }
                else
                {
                    PushFreeBlock(block, order);
                    block += half;
                }
            }

            return;
        }

        throw new InvalidOperationException($"pfn 0x{index:x} is marked free but is in no free block: the allocator is corrupt.");
    }

    private void BuddyFree(int index, int order)
    {
        while (order < PhysicalMemory.MaxOrder)
        {
            var buddy = index ^ (1 << order);
            if (buddy + (1 << order) > _pages.Count || (_flags[buddy] & PageFlags.Buddy) == 0 || _order[buddy] != order)
            {
                break;
            }

            RemoveFromFreeList(buddy, order);
            index &= buddy;
            order++;
        }

        PushFreeBlock(index, order);
    }

    private void PushFreeBlock(int index, int order)
    {
        _flags[index] = PageFlags.Free | PageFlags.Buddy;
        _order[index] = (byte)order;
        var next = _freeHeads[order];
        _prev[index] = NoPage;
        _next[index] = next;
        if (next != NoPage)
        {
            _prev[next] = index;
        }

        _freeHeads[order] = index;
    }

    private void RemoveFromFreeList(int index, int order)
    {
        var previous = _prev[index];
        var next = _next[index];
        if (previous == NoPage)
        {
            _freeHeads[order] = next;
        }
        else
        {
            _next[previous] = next;
        }

        if (next != NoPage)
        {
            _prev[next] = previous;
        }

        _flags[index] &= ~PageFlags.Buddy;
    }
}
