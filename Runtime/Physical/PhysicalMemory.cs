using System;
using System.Collections.Generic;
using MmuGuard.Sanitizer;

namespace MmuGuard.Physical;

/// <summary>
/// Host physical memory: page frames by PFN with page descriptors, a buddy allocator, and the reference operations
/// (<c>get_page</c>, <c>get_page_unless_zero</c>, <c>put_page</c>) whose misuse the sanitizer reports.
/// </summary>
/// <remarks>
/// <para>RAM is frames <c>0 .. PageCount-1</c>, each with a descriptor. Descriptors are stored struct-of-arrays
/// (about 23 bytes a frame) so 16 Mi frames fit in a few hundred MiB and the hot paths touch only plain arrays.</para>
/// <para>Frames above RAM may be registered as device ranges: they are valid PFNs with no descriptor (MMIO). Any other
/// PFN is a caller bug and throws.</para>
/// <para>Freed order-0 frames go on a LIFO hot list (Linux's per-CPU lists) and the next order-0 allocation takes the
/// most recently freed one, so a use-after-free is observable: the frame really is somebody else's at once.</para>
/// <para>Pinning or unpinning a PFN that has no descriptor, or pinning a free frame, is reported to the sanitizer
/// and then throws <see cref="InvalidOperationException"/>: there is no count to change, and carrying on would
/// corrupt the model. <see cref="TryPin"/> refuses such frames instead.</para>
/// </remarks>
public sealed class PhysicalMemory
{
    /// <summary>The largest block order the allocator hands out (1024 frames, Linux's <c>MAX_PAGE_ORDER</c>).</summary>
    public const int MaxOrder = 10;

    // Bound on the hot list before it drains into the buddy lists, so freed frames still coalesce eventually.
    private const int HotListHigh = 64;
    private const int NoPage = -1;
    private const string AllocatorOwner = "page allocator";

    private readonly int[] _refCount;
    private readonly PageFlags[] _flags;
    private readonly byte[] _order;
    private readonly int[] _mapCount;
    private readonly int[] _lastMapper;
    private readonly int[] _freeNext;
    private readonly int[] _freePrev;
    private readonly int[] _freeHeads = new int[MaxOrder + 1];
    private readonly List<DeviceRange> _deviceRanges = new();
    private readonly List<string> _mapperNames = new();
    private int _hotHead = NoPage;
    private int _hotCount;
    private long _freePages;

    /// <summary>Creates <paramref name="pageCount"/> frames of RAM, all free, reporting to <paramref name="sanitizer"/>.</summary>
    public PhysicalMemory(int pageCount, MmuSanitizer? sanitizer = null)
    {
        if (pageCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pageCount), pageCount, "Physical memory needs at least one page frame.");
        }

        PageCount = pageCount;
        Sanitizer = sanitizer;
        _refCount = new int[pageCount];
        _flags = new PageFlags[pageCount];
        _order = new byte[pageCount];
        _mapCount = new int[pageCount];
        _lastMapper = new int[pageCount];
        _freeNext = new int[pageCount];
        _freePrev = new int[pageCount];
        Array.Fill(_freeHeads, NoPage);
        Array.Fill(_flags, PageFlags.Free);

        var index = 0;
        while (index < pageCount)
        {
            var order = MaxOrder;
            while ((index & ((1 << order) - 1)) != 0 || index + (1 << order) > pageCount)
            {
                order--;
            }

            PushFreeBlock(index, order);
            index += 1 << order;
        }

        _freePages = pageCount;
    }

    /// <summary>The number of RAM frames (frames with a descriptor).</summary>
    public int PageCount { get; }

    /// <summary>The number of RAM frames currently in the allocator.</summary>
    public long FreePageCount => _freePages;

    /// <summary>The sanitizer that hears of misuse, or <see langword="null"/>.</summary>
    public MmuSanitizer? Sanitizer { get; }

    /// <summary>The registered device ranges (frames with no descriptor).</summary>
    public IReadOnlyList<DeviceRange> DeviceRanges => _deviceRanges;

    private bool Checking => Sanitizer is { Enabled: true };

    /// <summary>Registers <paramref name="count"/> frames from <paramref name="first"/> as a range with no page descriptor (MMIO, a carve-out).</summary>
    /// <exception cref="ArgumentException">The range is empty, overlaps RAM, or overlaps another device range.</exception>
    public DeviceRange RegisterDeviceRange(Pfn first, ulong count, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (count == 0)
        {
            throw new ArgumentException($"Device range '{name}' is empty.", nameof(count));
        }

        if (first.Value < (ulong)PageCount)
        {
            throw new ArgumentException(
                $"Device range '{name}' at {first} overlaps RAM (pfn 0x0..0x{PageCount - 1:x}); device frames have no descriptor and must lie above RAM.",
                nameof(first));
        }

        if (first.Value + count < first.Value)
        {
            throw new ArgumentException($"Device range '{name}' at {first} with {count} frames wraps around the PFN space.", nameof(count));
        }

        foreach (var range in _deviceRanges)
        {
            if (range.Overlaps(first.Value, count))
            {
                throw new ArgumentException($"Device range '{name}' at {first} overlaps device range '{range.Name}' at {range.First}.", nameof(first));
            }
        }

        var added = new DeviceRange(first, count, name);
        _deviceRanges.Add(added);
        return added;
    }

    /// <summary>Whether <paramref name="pfn"/> names a frame at all: RAM, or a registered device range.</summary>
    public bool IsKnown(Pfn pfn)
    {
        if (pfn.Value < (ulong)PageCount)
        {
            return true;
        }

        foreach (var range in _deviceRanges)
        {
            if (range.Contains(pfn))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="pfn"/> has a page descriptor (is RAM). Throws for a PFN that is neither RAM nor a device range.</summary>
    public bool HasDescriptor(Pfn pfn) => IndexOrNoDescriptor(pfn) != NoPage;

    /// <summary>
    /// Whether <paramref name="pfn"/> can be pinned safely: it has a descriptor, is not reserved, and its count (on
    /// the compound head) is above zero. Non-compound tails and free frames are valid but not refcounted.
    /// </summary>
    public bool IsRefcounted(Pfn pfn)
    {
        var index = IndexOrNoDescriptor(pfn);
        if (index == NoPage)
        {
            return false;
        }

        var head = HeadOf(index);
        return _refCount[head] > 0 && (_flags[head] & PageFlags.Reserved) == 0;
    }

    /// <summary>The reference count that governs <paramref name="pfn"/> (the head's, for a compound tail); 0 without a descriptor.</summary>
    public int RefCount(Pfn pfn)
    {
        var index = IndexOrNoDescriptor(pfn);
        return index == NoPage ? 0 : _refCount[HeadOf(index)];
    }

    /// <summary>Whether <paramref name="pfn"/> is in the allocator.</summary>
    public bool IsFree(Pfn pfn) => HasFlag(pfn, PageFlags.Free);

    /// <summary>Whether <paramref name="pfn"/> is reserved memory.</summary>
    public bool IsReserved(Pfn pfn) => HasFlag(pfn, PageFlags.Reserved);

    /// <summary>Whether <paramref name="pfn"/> belongs to a driver as a tail of a non-compound block.</summary>
    public bool IsDriverOwned(Pfn pfn) => HasFlag(pfn, PageFlags.DriverOwned);

    /// <summary>Whether <paramref name="pfn"/> was marked dirty since it was allocated.</summary>
    public bool IsDirty(Pfn pfn) => HasFlag(pfn, PageFlags.Dirty);

    /// <summary>Whether <paramref name="pfn"/> was marked accessed since it was allocated.</summary>
    public bool IsAccessed(Pfn pfn) => HasFlag(pfn, PageFlags.Accessed);

    /// <summary>How many mappings (page-table entries, stage-2 entries, out-of-band maps, caches) point at <paramref name="pfn"/>.</summary>
    public int MapCount(Pfn pfn)
    {
        var index = IndexOrNoDescriptor(pfn);
        return index == NoPage ? 0 : _mapCount[index];
    }

    /// <summary>Allocates a block of 2^<paramref name="order"/> frames; the caller owns the first frame's reference.</summary>
    /// <exception cref="InvalidOperationException">No free block of that order is left.</exception>
    [return: Pinned]
    public Pfn Allocate(int order = 0, AllocationKind kind = AllocationKind.Compound)
    {
        if (TryAllocate(order, kind, out var first))
        {
            return first;
        }

        throw new InvalidOperationException(
            $"Out of memory: no free block of order {order} ({1 << order} frames); {FreePageCount} of {PageCount} frames are free but fragmented or too few.");
    }

    /// <summary>Allocates like <see cref="Allocate"/>, returning <see langword="false"/> when memory is exhausted.</summary>
    public bool TryAllocate(int order, AllocationKind kind, [TryAcquiresPin] out Pfn first)
    {
        if ((uint)order > MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"Block order must be 0..{MaxOrder}.");
        }

        var index = order == 0 && _hotHead != NoPage ? PopHot() : TakeBuddyBlock(order);
        if (index == NoPage && _hotCount > 0)
        {
            DrainHotList();
            index = TakeBuddyBlock(order);
        }

        if (index == NoPage)
        {
            first = default;
            return false;
        }

        PrepareBlock(index, order, kind);
        _freePages -= 1 << order;
        first = new Pfn((ulong)index);
        return true;
    }

    /// <summary>
    /// Frees a block the way its allocator's owner does (<c>__free_pages</c>): drops the first frame's reference and,
    /// for a non-compound block, hands every driver-owned tail back to the allocator.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="first"/> is not the first frame of an allocated block.</exception>
    public void FreeBlock([ReleasesPin] Pfn first)
    {
        var index = DescriptorIndex(first, nameof(FreeBlock), FindingKind.DoubleFree);
        var flags = _flags[index];
        if ((flags & PageFlags.Free) != 0)
        {
            if (Checking)
            {
                Sanitizer!.Report(FindingKind.DoubleFree, first, AllocatorOwner, nameof(FreeBlock), "the frame is already free in the allocator");
            }

            return;
        }

        if ((flags & (PageFlags.CompoundTail | PageFlags.DriverOwned | PageFlags.Reserved)) != 0)
        {
            throw new ArgumentException($"{first} is not the first frame of an allocated block ({DescribeOwner(index)}); free the block by its first frame.", nameof(first));
        }

        if ((flags & PageFlags.BlockHead) != 0)
        {
            FreeDriverTails(index);
            _flags[index] &= ~PageFlags.BlockHead;
            _order[index] = 0;
        }

        ReleaseReference(index, nameof(FreeBlock));
    }

    /// <summary>Takes free frames out of the allocator for good and marks them reserved (never refcounted for pinning).</summary>
    /// <exception cref="InvalidOperationException">A frame in the range is not free.</exception>
    public void Reserve(Pfn first, int count)
    {
        if (count <= 0 || first.Value + (ulong)count > (ulong)PageCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Reserve needs 1.. frames inside RAM (pfn 0x0..0x{PageCount - 1:x}), starting at {first}.");
        }

        DrainHotList();
        var start = (int)first.Value;
        for (var index = start; index < start + count; index++)
        {
            if ((_flags[index] & PageFlags.Free) == 0)
            {
                throw new InvalidOperationException($"Cannot reserve pfn 0x{index:x}: it is in use ({DescribeOwner(index)}); only free frames can be reserved.");
            }
        }

        for (var index = start; index < start + count; index++)
        {
            TakeOffBuddy(index);
            _flags[index] = PageFlags.Reserved;
            _refCount[index] = 1;
            _freePages--;
        }
    }

    /// <summary>
    /// Adds a reference unconditionally (<c>get_page</c>). On a page that is not refcounted (a non-compound tail,
    /// reserved memory) this moves its count from 0 and the sanitizer reports
    /// <see cref="FindingKind.PinOfNonRefcountedPage"/>: the matching unpin will free the page under its owner.
    /// </summary>
    /// <exception cref="InvalidOperationException">The PFN has no descriptor, or the frame is free (reported first).</exception>
    public void Pin([AcquiresPin] Pfn pfn)
    {
        var head = HeadOf(DescriptorIndex(pfn, nameof(Pin), FindingKind.PinWithoutDescriptor));
        var flags = _flags[head];
        if ((flags & PageFlags.Free) != 0)
        {
            if (Checking)
            {
                Sanitizer!.Report(FindingKind.PinOfNonRefcountedPage, pfn, AllocatorOwner, nameof(Pin), "the frame is free: a reference to it would survive its reuse");
            }

            throw new InvalidOperationException($"Cannot pin {pfn}: the frame is free in the allocator. Use TryPin, which refuses it.");
        }

        if (_refCount[head] == 0 || (flags & PageFlags.Reserved) != 0)
        {
            if (Checking)
            {
                Sanitizer!.Report(
                    FindingKind.PinOfNonRefcountedPage,
                    pfn,
                    DescribeOwner(head),
                    nameof(Pin),
                    $"unconditional pin of a page that is not refcounted (count {_refCount[head]} -> {_refCount[head] + 1}); its unpin frees it under its owner. Use TryPin.");
            }
        }

        _refCount[head]++;
    }

    /// <summary>
    /// Adds a reference only when the page is refcounted and already referenced (<c>get_page_unless_zero</c>).
    /// Returns <see langword="false"/> for non-compound tails, reserved or free frames and PFNs with no descriptor.
    /// </summary>
    public bool TryPin([TryAcquiresPin] Pfn pfn)
    {
        var index = IndexOrNoDescriptor(pfn);
        if (index == NoPage)
        {
            return false;
        }

        var head = HeadOf(index);
        if (_refCount[head] == 0 || (_flags[head] & PageFlags.Reserved) != 0)
        {
            return false;
        }

        _refCount[head]++;
        return true;
    }

    /// <summary>
    /// Drops a reference (<c>put_page</c>). Reaching zero returns the page (the whole compound page) to the allocator;
    /// for a driver-owned page that is the CVE-2021-22543 use-after-free, reported as
    /// <see cref="FindingKind.FreedUnderDriver"/>. Dropping below zero is reported as <see cref="FindingKind.UnpinBelowZero"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The PFN has no descriptor (reported first).</exception>
    public void Unpin([ReleasesPin] Pfn pfn)
    {
        var head = HeadOf(DescriptorIndex(pfn, nameof(Unpin), FindingKind.PinWithoutDescriptor));
        ReleaseReference(head, nameof(Unpin));
    }

    /// <summary>Marks the page dirty (<c>set_page_dirty</c>); needs a reference held on it.</summary>
    public void MarkDirty([RequiresPin] Pfn pfn) => MarkUnderReference(pfn, PageFlags.Dirty, nameof(MarkDirty));

    /// <summary>Marks the page accessed (<c>mark_page_accessed</c>); needs a reference held on it.</summary>
    public void MarkAccessed([RequiresPin] Pfn pfn) => MarkUnderReference(pfn, PageFlags.Accessed, nameof(MarkAccessed));

    /// <summary>Registers a kind of mapping by name so frames it maps can be blamed on it.</summary>
    public MapperId RegisterMapper(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _mapperNames.Add(name);
        return new MapperId(_mapperNames.Count - 1);
    }

    /// <summary>The name <paramref name="mapper"/> was registered with.</summary>
    public string MapperName(MapperId mapper) => _mapperNames[mapper.Value];

    /// <summary>Records that <paramref name="mapper"/> now points at <paramref name="pfn"/>; a no-op for a frame with no descriptor.</summary>
    public void AddMapping(Pfn pfn, MapperId mapper)
    {
        var index = IndexOrNoDescriptor(pfn);
        if (index != NoPage)
        {
            _mapCount[index]++;
            _lastMapper[index] = mapper.Value;
        }
    }

    /// <summary>Records that <paramref name="mapper"/> no longer points at <paramref name="pfn"/>.</summary>
    /// <exception cref="InvalidOperationException">No mapping of the frame is recorded (a mapping removed twice).</exception>
    public void RemoveMapping(Pfn pfn, MapperId mapper)
    {
        var index = IndexOrNoDescriptor(pfn);
        if (index == NoPage)
        {
            return;
        }

        if (_mapCount[index] == 0)
        {
            throw new InvalidOperationException($"{pfn} has no mapping recorded, yet {MapperName(mapper)} removes one: a mapping was removed twice.");
        }

        _mapCount[index]--;
    }

    private void MarkUnderReference(Pfn pfn, PageFlags mark, string operation)
    {
        var index = IndexOrNoDescriptor(pfn);
        if (index == NoPage)
        {
            if (Checking)
            {
                Sanitizer!.Report(FindingKind.MarkWithoutReference, pfn, DescribeDevice(pfn), operation, "the frame has no page descriptor to mark");
            }

            return;
        }

        var head = HeadOf(index);
        if (Checking && (_refCount[head] == 0 || (_flags[head] & (PageFlags.Reserved | PageFlags.Free)) != 0))
        {
            Sanitizer!.Report(FindingKind.MarkWithoutReference, pfn, DescribeOwner(head), operation, "no reference is held on the page, so it may already belong to someone else");
        }

        _flags[head] |= mark;
    }

    private void ReleaseReference(int head, string operation)
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
                Sanitizer!.Report(FindingKind.UnpinBelowZero, new Pfn((ulong)head), DescribeOwner(head), operation, detail);
            }

            return;
        }

        _refCount[head] = --count;
        if (count != 0)
        {
            return;
        }

        if (Checking && (flags & (PageFlags.DriverOwned | PageFlags.BlockHead)) != 0)
        {
            Sanitizer!.Report(
                FindingKind.FreedUnderDriver,
                new Pfn((ulong)head),
                DescribeOwner(head),
                operation,
                "the last count of a page its driver still owns was dropped; the allocator takes it back and will hand it to someone else");
        }

        // A non-compound page goes back alone (the block's other frames stay the driver's); a compound page whole.
        ReturnToAllocator(head, (flags & PageFlags.CompoundHead) != 0 ? _order[head] : 0, operation);
    }

    private void FreeDriverTails(int head)
    {
        int order = _order[head];
        var end = head + (1 << order);
        for (var tail = head + 1; tail < end; tail++)
        {
            var pfn = new Pfn((ulong)tail);
            if ((_flags[tail] & PageFlags.DriverOwned) == 0 || _order[tail] != order)
            {
                if (Checking)
                {
                    Sanitizer!.Report(
                        FindingKind.DoubleFree,
                        pfn,
                        DescribeOwner(tail),
                        nameof(FreeBlock),
                        "the driver frees its block, but an unbalanced unpin already gave this frame back to the allocator; it may belong to someone else now");
                }

                continue;
            }

            _flags[tail] &= ~PageFlags.DriverOwned;
            _order[tail] = 0;
            if (_refCount[tail] > 0)
            {
                if (Checking)
                {
                    Sanitizer!.Report(
                        FindingKind.FreedWhilePinned,
                        pfn,
                        "driver (non-compound block at pfn 0x" + head.ToString("x") + ")",
                        nameof(FreeBlock),
                        $"the driver frees its block while {_refCount[tail]} pin(s) are held on this frame; it goes back to the allocator when the last pin drops");
                }

                continue;
            }

            ReturnToAllocator(tail, 0, nameof(FreeBlock));
        }
    }

    private void ReturnToAllocator(int first, int order, string operation)
    {
        var end = first + (1 << order);
        if (Checking)
        {
            for (var index = first; index < end; index++)
            {
                if (_mapCount[index] > 0)
                {
                    Sanitizer!.Report(
                        FindingKind.FreedWhileMapped,
                        new Pfn((ulong)index),
                        _mapperNames[_lastMapper[index]],
                        operation,
                        $"the frame returns to the allocator while {_mapCount[index]} mapping(s) still point at it");
                }
            }
        }

        for (var index = first; index < end; index++)
        {
            _flags[index] = PageFlags.Free;
            _refCount[index] = 0;
            _order[index] = 0;
        }

        _freePages += 1 << order;
        if (order != 0)
        {
            BuddyFree(first, order);
            return;
        }

        if (_hotCount >= HotListHigh)
        {
            DrainHotList();
        }

        _freeNext[first] = _hotHead;
        _hotHead = first;
        _hotCount++;
    }

    private int PopHot()
    {
        var index = _hotHead;
        _hotHead = _freeNext[index];
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
        for (var current = order; current <= MaxOrder; current++)
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
        for (var order = 0; order <= MaxOrder; order++)
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
        while (order < MaxOrder)
        {
            var buddy = index ^ (1 << order);
            if (buddy + (1 << order) > PageCount || (_flags[buddy] & PageFlags.Buddy) == 0 || _order[buddy] != order)
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
        _freePrev[index] = NoPage;
        _freeNext[index] = next;
        if (next != NoPage)
        {
            _freePrev[next] = index;
        }

        _freeHeads[order] = index;
    }

    private void RemoveFromFreeList(int index, int order)
    {
        var previous = _freePrev[index];
        var next = _freeNext[index];
        if (previous == NoPage)
        {
            _freeHeads[order] = next;
        }
        else
        {
            _freeNext[previous] = next;
        }

        if (next != NoPage)
        {
            _freePrev[next] = previous;
        }

        _flags[index] &= ~PageFlags.Buddy;
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
    }

    private int HeadOf(int index) =>
        (_flags[index] & PageFlags.CompoundTail) != 0 ? index & ~((1 << _order[index]) - 1) : index;

    private bool HasFlag(Pfn pfn, PageFlags flag)
    {
        var index = IndexOrNoDescriptor(pfn);
        return index != NoPage && (_flags[index] & flag) != 0;
    }

    // RAM index, or NoPage for a registered device frame; anything else is a caller bug.
    private int IndexOrNoDescriptor(Pfn pfn)
    {
        if (pfn.Value < (ulong)PageCount)
        {
            return (int)pfn.Value;
        }

        FindDeviceRange(pfn);
        return NoPage;
    }

    private int DescriptorIndex(Pfn pfn, string operation, FindingKind kind)
    {
        if (pfn.Value < (ulong)PageCount)
        {
            return (int)pfn.Value;
        }

        var owner = DescribeDevice(pfn);
        if (Checking)
        {
            Sanitizer!.Report(kind, pfn, owner, operation, "the frame has no page descriptor, so it has no count to change");
        }

        throw new InvalidOperationException($"{operation} of {pfn}: the frame has no page descriptor ({owner}). Use TryPin, which refuses it.");
    }

    private DeviceRange FindDeviceRange(Pfn pfn)
    {
        foreach (var range in _deviceRanges)
        {
            if (range.Contains(pfn))
            {
                return range;
            }
        }

        throw new ArgumentOutOfRangeException(
            nameof(pfn),
            pfn,
            $"{pfn} is neither RAM (pfn 0x0..0x{PageCount - 1:x}) nor in a registered device range.");
    }

    private string DescribeDevice(Pfn pfn) => "device range '" + FindDeviceRange(pfn).Name + "'";

    private string DescribeOwner(int index)
    {
        var flags = _flags[index];
        if ((flags & (PageFlags.DriverOwned | PageFlags.BlockHead)) != 0)
        {
            var block = index & ~((1 << _order[index]) - 1);
            return $"driver (non-compound order-{_order[index]} block at pfn 0x{block:x})";
        }

        if ((flags & PageFlags.Reserved) != 0)
        {
            return "reserved memory";
        }

        return AllocatorOwner;
    }
}
