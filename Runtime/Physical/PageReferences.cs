using System;
using System.Runtime.CompilerServices;
using MmuGuard.Sanitizer;

namespace MmuGuard.Physical;

/// <summary>
/// The reference operations on RAM frames, by frame index: <c>get_page</c>/<c>put_page</c> (FOLL_GET) and
/// <c>pin_user_pages</c>/<c>unpin_user_page</c> (FOLL_PIN), the try-gets, marking, and the driver's block free, with
/// the sanitizer checks that catch their misuse as it happens.
/// </summary>
/// <remarks>
/// <para>Pins count as the kernel counts them (<c>try_grab_folio</c>, <c>gup_put_folio</c>, mm/gup.c, Linux 6.13):
/// an order-0 page adds <see cref="PhysicalMemory.PinCountingBias"/> to its count; a compound page adds 1 to its count
/// and 1 to a separate pin count. So a release can be checked against the kind of references left: a
/// <c>put_page</c> that finds only pins left, or an <c>unpin_user_page</c> that finds none, is a
/// <see cref="FindingKind.MismatchedRelease"/>. As in the kernel, 1024 plain references on an order-0 page look like
/// one pin (<c>folio_maybe_dma_pinned</c>'s documented false positive), and the check inherits that.</para>
/// <para>After reporting a mismatched release the model drops the kind of reference that is actually there, so the
/// page is freed when its last holder lets go and later checks stay meaningful; the kernel would subtract the wrong
/// amount and leave a count that never reaches zero, or underflows.</para>
/// </remarks>
internal sealed class PageReferences
{
    private const int Bias = PhysicalMemory.PinCountingBias;
    private const int BiasMask = Bias - 1;

    private readonly PageDescriptors _pages;
    private readonly BuddyAllocator _allocator;
    private readonly MapperRegistry _mappers;
    private readonly MmuSanitizer? _sanitizer;
    private readonly int[] _refCount;
    private readonly PageFlags[] _flags;
    private readonly byte[] _order;
    private readonly int[] _pinCount;

    /// <summary>Creates the operations over <paramref name="pages"/>, freeing into <paramref name="allocator"/>.</summary>
    public PageReferences(PageDescriptors pages, BuddyAllocator allocator, MapperRegistry mappers, MmuSanitizer? sanitizer)
    {
        _pages = pages;
        _allocator = allocator;
        _mappers = mappers;
        _sanitizer = sanitizer;
        _refCount = pages.RefCount;
        _flags = pages.Flags;
        _order = pages.Order;
        _pinCount = pages.ListPrev;
    }

    private bool Checking => _sanitizer is { Enabled: true };

    /// <summary><c>get_page</c>: adds a reference unconditionally, reporting a free or non-refcounted page.</summary>
    /// <exception cref="InvalidOperationException">The frame is free (reported first).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Get(int index, Pfn pfn)
    {
        var head = HeadOf(index);
        if (_refCount[head] == 0 || (_flags[head] & (PageFlags.Free | PageFlags.Reserved)) != 0)
        {
            GetUnreferenced(head, pfn);
            return;
        }

        _refCount[head]++;
    }

    /// <summary><c>get_page_unless_zero</c> on the page that governs <paramref name="index"/> (the compound head).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(int index)
    {
        var head = HeadOf(index);
        if (_refCount[head] == 0 || (_flags[head] & PageFlags.Reserved) != 0)
        {
            return false;
        }

        _refCount[head]++;
        return true;
    }

    /// <summary>
    /// <c>get_page_unless_zero</c> on the raw page: a compound tail's own count is 0, so it fails there, and reserved
    /// memory's base count lets it succeed.
    /// </summary>
    public bool TryGetRaw(int index)
    {
        if (_refCount[index] == 0)
        {
            return false;
        }

        _refCount[index]++;
        return true;
    }

    /// <summary>The FOLL_PIN grab of <c>pin_user_pages</c>: only a page already referenced, never reserved memory.</summary>
    public bool TryPinUser(int index)
    {
        var head = HeadOf(index);
        var count = _refCount[head];
        if (count == 0 || count > int.MaxValue - Bias || (_flags[head] & PageFlags.Reserved) != 0)
        {
            return false;
        }

        if (_pages.IsCompoundHead(head))
        {
            _pinCount[head + 1]++;
            _refCount[head] = count + 1;
        }
        else
        {
            _refCount[head] = count + Bias;
        }

        return true;
    }

    /// <summary>The count that governs <paramref name="index"/>: its compound head's, or its own.</summary>
    public int CountOf(int index) => _refCount[HeadOf(index)];

    /// <summary>Whether <paramref name="index"/>'s page holds a count and is not reserved, so a try-get can take one.</summary>
    public bool IsRefcounted(int index)
    {
        var head = HeadOf(index);
        return _refCount[head] > 0 && (_flags[head] & PageFlags.Reserved) == 0;
    }

    /// <summary>How many FOLL_PIN references <paramref name="index"/>'s page holds.</summary>
    public int PinCount(int index)
    {
        var head = HeadOf(index);
        return _pages.IsCompoundHead(head) ? _pinCount[head + 1] : _refCount[head] / Bias;
    }

    /// <summary><c>put_page</c> on <paramref name="index"/>'s page.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Put(int index, string operation)
    {
        var head = HeadOf(index);
        var count = _refCount[head];

        // The common case first: a plain reference dropped while others remain, so nothing is freed or mismatched.
        if (count > 1 && ((_flags[head] & PageFlags.CompoundHead) == 0 ? (count & BiasMask) != 0 : count > _pinCount[head + 1]))
        {
            _refCount[head] = count - 1;
            return;
        }

        Release(head, pinned: false, operation);
    }

    /// <summary><c>unpin_user_page</c> on <paramref name="index"/>'s page.</summary>
    public void UnpinUser(int index, string operation) => Release(HeadOf(index), pinned: true, operation);

    /// <summary>Sets <paramref name="mark"/> on the page, reporting a page nobody holds a reference on.</summary>
    public void Mark(int index, Pfn pfn, PageFlags mark, string operation)
    {
        var head = HeadOf(index);
        if (Checking && (_refCount[head] == 0 || (_flags[head] & (PageFlags.Reserved | PageFlags.Free)) != 0))
        {
            _sanitizer!.Report(FindingKind.MarkWithoutReference, pfn, _pages.DescribeOwner(head), operation, "no reference is held on the page, so it may already belong to someone else");
        }

        _flags[head] |= mark;
    }

    /// <summary>
    /// <c>__free_pages</c> by the block's owner: drops the first frame's reference and, for a non-compound block,
    /// returns every tail to the allocator at once, pinned or not (Linux 5.10, e320d3012d25 "mm/page_alloc.c: fix
    /// freeing non-compound pages").
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="first"/> is not the first frame of an allocated block.</exception>
    public void FreeBlock(int index, Pfn first)
    {
        var flags = _flags[index];
        if ((flags & PageFlags.Free) != 0)
        {
            if (Checking)
            {
                _sanitizer!.Report(FindingKind.DoubleFree, first, BuddyAllocator.Owner, nameof(PhysicalMemory.FreeBlock), "the frame is already free in the allocator");
            }

            return;
        }

        if ((flags & (PageFlags.CompoundTail | PageFlags.DriverOwned | PageFlags.Reserved)) != 0)
        {
            throw new ArgumentException($"{first} is not the first frame of an allocated block ({_pages.DescribeOwner(index)}); free the block by its first frame.", nameof(first));
        }

        if ((flags & PageFlags.BlockHead) == 0)
        {
            Release(index, pinned: false, nameof(PhysicalMemory.FreeBlock));
            return;
        }

        // The first page is an order-0 page of its own from here on: freed now, or at its holder's last release.
        int order = _order[index];
        _flags[index] &= ~PageFlags.BlockHead;
        _order[index] = 0;
        Release(index, pinned: false, nameof(PhysicalMemory.FreeBlock));
        FreeDriverTails(index, order);
    }

    // The frame whose count governs index: the head of its compound page, or itself.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int HeadOf(int index) =>
        (_flags[index] & PageFlags.CompoundTail) != 0 ? index & ~((1 << _order[index]) - 1) : index;

    private void GetUnreferenced(int head, Pfn pfn)
    {
        var flags = _flags[head];
        if ((flags & PageFlags.Free) != 0)
        {
            if (Checking)
            {
                _sanitizer!.Report(FindingKind.PinOfNonRefcountedPage, pfn, BuddyAllocator.Owner, nameof(PhysicalMemory.Pin), "the frame is free: a reference to it would survive its reuse");
            }

            throw new InvalidOperationException($"Cannot pin {pfn}: the frame is free in the allocator. Use TryPin, which refuses it.");
        }

        if (Checking)
        {
            _sanitizer!.Report(
                FindingKind.PinOfNonRefcountedPage,
                pfn,
                _pages.DescribeOwner(head),
                nameof(PhysicalMemory.Pin),
                $"unconditional pin of a page that is not refcounted (count {_refCount[head]} -> {_refCount[head] + 1}); its unpin frees it under its owner. Use TryPin.");
        }

        _refCount[head]++;
    }

    private void Release(int head, bool pinned, string operation)
    {
        var count = _refCount[head];
        var flags = _flags[head];
        if (count == 0 || ((flags & PageFlags.Reserved) != 0 && count == 1))
        {
            if (Checking)
            {
                var detail = count == 0
                    ? "the count is already 0: a double or unbalanced release"
                    : "this would drop the base reference of reserved memory: an unbalanced release";
                _sanitizer!.Report(FindingKind.UnpinBelowZero, new Pfn((ulong)head), _pages.DescribeOwner(head), operation, detail);
            }

            return;
        }

        var compound = (flags & PageFlags.CompoundHead) != 0;
        var pins = compound ? _pinCount[head + 1] : count / Bias;
        var gets = compound ? count - pins : count & BiasMask;
        if (pinned ? pins == 0 : gets == 0)
        {
            ReportMismatch(head, pinned, pins, gets, operation);
            pinned = !pinned;
        }

        if (!pinned)
        {
            count--;
        }
        else if (compound)
        {
            _pinCount[head + 1] = pins - 1;
            count--;
        }
        else
        {
            count -= Bias;
        }

        _refCount[head] = count;
        if (count != 0)
        {
            return;
        }

        if (Checking && (flags & (PageFlags.DriverOwned | PageFlags.BlockHead)) != 0)
        {
            _sanitizer!.Report(
                FindingKind.FreedUnderDriver,
                new Pfn((ulong)head),
                _pages.DescribeOwner(head),
                operation,
                "the last count of a page its driver still owns was dropped; the allocator takes it back and will hand it to someone else");
        }

        // A non-compound page goes back alone (the block's other frames stay the driver's); a compound page whole.
        ReturnToAllocator(head, compound ? _order[head] : 0, operation);
    }

    private void ReportMismatch(int head, bool pinned, int pins, int gets, string operation)
    {
        if (!Checking)
        {
            return;
        }

        var detail = pinned
            ? $"unpin_user_page on a page holding no pin ({gets} get_page reference(s)): a reference get_page took is released as a pin; release it with put_page (Unpin)"
            : $"put_page on a page whose only references left are {pins} pin(s) from pin_user_pages: a pinned reference is released with put_page; release it with unpin_user_page (UnpinUserPage)";
        _sanitizer!.Report(FindingKind.MismatchedRelease, new Pfn((ulong)head), _pages.DescribeOwner(head), operation, detail);
    }

    private void FreeDriverTails(int head, int order)
    {
        var end = head + (1 << order);
        for (var tail = head + 1; tail < end; tail++)
        {
            var pfn = new Pfn((ulong)tail);
            if ((_flags[tail] & PageFlags.DriverOwned) == 0 || _order[tail] != order)
            {
                if (Checking)
                {
                    _sanitizer!.Report(
                        FindingKind.DoubleFree,
                        pfn,
                        _pages.DescribeOwner(tail),
                        nameof(PhysicalMemory.FreeBlock),
                        "the driver frees its block, but an unbalanced unpin already gave this frame back to the allocator; it may belong to someone else now");
                }

                continue;
            }

            var held = _refCount[tail];
            if (held > 0 && Checking)
            {
                _sanitizer!.Report(
                    FindingKind.FreedWhilePinned,
                    pfn,
                    "driver (non-compound block at pfn 0x" + head.ToString("x") + ")",
                    nameof(PhysicalMemory.FreeBlock),
                    $"the driver frees its block while {held} reference(s) are held on this frame; __free_pages returns it to the allocator anyway, so the next allocation hands it to someone else and the holder's release drops the new owner's count (use-after-free)");
            }

            ReturnToAllocator(tail, 0, nameof(PhysicalMemory.FreeBlock));
        }
    }

    private void ReturnToAllocator(int first, int order, string operation)
    {
        if (Checking)
        {
            var mapCount = _pages.MapCount;
            var end = first + (1 << order);
            for (var index = first; index < end; index++)
            {
                if (mapCount[index] > 0)
                {
                    _sanitizer!.Report(
                        FindingKind.FreedWhileMapped,
                        new Pfn((ulong)index),
                        _mappers.LastMapperOf(index),
                        operation,
                        $"the frame returns to the allocator while {mapCount[index]} mapping(s) still point at it");
                }
            }
        }

        _allocator.Free(first, order);
    }
}
