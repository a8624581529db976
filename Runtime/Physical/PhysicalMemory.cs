using System;
using System.Collections.Generic;
using MmuGuard.Sanitizer;

namespace MmuGuard.Physical;

/// <summary>
/// Host physical memory: page frames by PFN with page descriptors, a buddy allocator, and the reference operations
/// whose misuse the sanitizer reports — <c>get_page</c>/<c>get_page_unless_zero</c>/<c>put_page</c> (FOLL_GET) and
/// <c>pin_user_pages</c>/<c>unpin_user_page</c> (FOLL_PIN).
/// </summary>
/// <remarks>
/// <para>RAM is frames <c>0 .. PageCount-1</c>, each with a descriptor. Descriptors are stored struct-of-arrays
/// (23 bytes a frame) so 16 Mi frames fit in a few hundred MiB and the hot paths touch only plain arrays.</para>
/// <para>Frames above RAM may be registered as device ranges: they are valid PFNs with no descriptor (MMIO). Any other
/// PFN is a caller bug: queries and unconditional operations throw <see cref="ArgumentOutOfRangeException"/> naming
/// the PFN and the RAM range, and the <c>Try*</c> operations return <see langword="false"/>.</para>
/// <para>Freed order-0 frames go on a LIFO hot list (Linux's per-CPU lists) and the next order-0 allocation takes the
/// most recently freed one, so a use-after-free is observable: the frame really is somebody else's at once.</para>
/// <para>Pinning or unpinning a PFN that has no descriptor, or pinning a free frame, is reported to the sanitizer
/// and then throws <see cref="InvalidOperationException"/>: there is no count to change, and carrying on would
/// corrupt the model. <see cref="TryPin"/> refuses such frames instead.</para>
/// <para>This type resolves PFNs and delegates to internal types that each do one job: the descriptor arrays,
/// the buddy allocator, the reference operations, the device ranges and the mapper registry.</para>
/// </remarks>
public sealed class PhysicalMemory
{
    /// <summary>The largest block order the allocator hands out (1024 frames, Linux's <c>MAX_PAGE_ORDER</c>).</summary>
    public const int MaxOrder = 10;

    /// <summary>
    /// What one FOLL_PIN reference adds to an order-0 page's count (<c>GUP_PIN_COUNTING_BIAS</c>); a compound page
    /// counts 1 and keeps a separate pin count instead.
    /// </summary>
    public const int PinCountingBias = 1024;

    private const int NoPage = PageDescriptors.NoPage;

    private readonly PageDescriptors _pages;
    private readonly BuddyAllocator _allocator;
    private readonly PageReferences _references;
    private readonly DeviceRangeTable _devices;
    private readonly MapperRegistry _mappers;

    /// <summary>Creates <paramref name="pageCount"/> frames of RAM, all free, reporting to <paramref name="sanitizer"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageCount"/> is not positive.</exception>
    public PhysicalMemory(int pageCount, MmuSanitizer? sanitizer = null)
    {
        if (pageCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pageCount), pageCount, "Physical memory needs at least one page frame.");
        }

        PageCount = pageCount;
        Sanitizer = sanitizer;
        _pages = new PageDescriptors(pageCount);
        _allocator = new BuddyAllocator(_pages);
        _mappers = new MapperRegistry(_pages);
        _references = new PageReferences(_pages, _allocator, _mappers, sanitizer);
        _devices = new DeviceRangeTable(pageCount);
    }

    /// <summary>The number of RAM frames (frames with a descriptor).</summary>
    public int PageCount { get; }

    /// <summary>The number of RAM frames currently in the allocator.</summary>
    public long FreePageCount => _allocator.FreePages;

    /// <summary>The sanitizer that hears of misuse, or <see langword="null"/>.</summary>
    public MmuSanitizer? Sanitizer { get; }

    /// <summary>The registered device ranges (frames with no descriptor).</summary>
    public IReadOnlyList<DeviceRange> DeviceRanges => _devices.All;

    private bool Checking => Sanitizer is { Enabled: true };

    /// <summary>Registers <paramref name="count"/> frames from <paramref name="first"/> as a range with no page descriptor (MMIO, a carve-out).</summary>
    /// <exception cref="ArgumentException">The range is empty, overlaps RAM, or overlaps another device range.</exception>
    public DeviceRange RegisterDeviceRange(Pfn first, ulong count, string name) => _devices.Register(first, count, name);

    /// <summary>Whether <paramref name="pfn"/> names a frame at all: RAM, or a registered device range.</summary>
    public bool IsKnown(Pfn pfn) => pfn.Value < (ulong)PageCount || _devices.TryFind(pfn, out _);

    /// <summary>Whether <paramref name="pfn"/> has a page descriptor (is RAM).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public bool HasDescriptor(Pfn pfn) => IndexOrNoDescriptor(pfn) != NoPage;

    /// <summary>
    /// Whether <paramref name="pfn"/> can be pinned safely: it has a descriptor, is not reserved, and its count (on
    /// the compound head) is above zero. Non-compound tails and free frames are valid but not refcounted.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public bool IsRefcounted(Pfn pfn)
    {
        var index = IndexOrNoDescriptor(pfn);
        return index != NoPage && _references.IsRefcounted(index);
    }

    /// <summary>
    /// The reference count that governs <paramref name="pfn"/> (<c>page_ref_count</c> of the head, for a compound
    /// tail): each FOLL_PIN reference on an order-0 page counts <see cref="PinCountingBias"/>. 0 without a descriptor.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public int RefCount(Pfn pfn)
    {
        var index = IndexOrNoDescriptor(pfn);
        return index == NoPage ? 0 : _references.CountOf(index);
    }

    /// <summary>How many FOLL_PIN references (<see cref="TryPinUserPage"/>) the page holds; 0 without a descriptor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public int PinCount(Pfn pfn)
    {
        var index = IndexOrNoDescriptor(pfn);
        return index == NoPage ? 0 : _references.PinCount(index);
    }

    /// <summary>Whether <paramref name="pfn"/> is in the allocator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public bool IsFree(Pfn pfn) => HasFlag(pfn, PageFlags.Free);

    /// <summary>Whether <paramref name="pfn"/> is reserved memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public bool IsReserved(Pfn pfn) => HasFlag(pfn, PageFlags.Reserved);

    /// <summary>Whether <paramref name="pfn"/> belongs to a driver as a tail of a non-compound block.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public bool IsDriverOwned(Pfn pfn) => HasFlag(pfn, PageFlags.DriverOwned);

    /// <summary>Whether <paramref name="pfn"/> was marked dirty since it was allocated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public bool IsDirty(Pfn pfn) => HasFlag(pfn, PageFlags.Dirty);

    /// <summary>Whether <paramref name="pfn"/> was marked accessed since it was allocated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public bool IsAccessed(Pfn pfn) => HasFlag(pfn, PageFlags.Accessed);

    /// <summary>How many mappings (page-table entries, stage-2 entries, out-of-band maps, caches) point at <paramref name="pfn"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public int MapCount(Pfn pfn)
    {
        var index = IndexOrNoDescriptor(pfn);
        return index == NoPage ? 0 : _pages.MapCount[index];
    }

    /// <summary>Allocates a block of 2^<paramref name="order"/> frames; the caller owns the first frame's reference.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is outside 0..<see cref="MaxOrder"/>.</exception>
    /// <exception cref="InvalidOperationException">No free block of that order is left.</exception>
    [return: Pinned]
    public Pfn Allocate(int order = 0, AllocationKind kind = AllocationKind.Compound)
    {
        if ((uint)order > MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"Block order must be 0..{MaxOrder}.");
        }

        if (TryAllocate(order, kind, out var first))
        {
            return first;
        }

        throw new InvalidOperationException(
            $"Out of memory: no free block of order {order} ({1 << order} frames); {FreePageCount} of {PageCount} frames are free but fragmented or too few.");
    }

    /// <summary>
    /// Allocates like <see cref="Allocate"/>, returning <see langword="false"/> when memory is exhausted or
    /// <paramref name="order"/> is outside 0..<see cref="MaxOrder"/> (as <c>alloc_pages</c> fails above
    /// <c>MAX_PAGE_ORDER</c>).
    /// </summary>
    public bool TryAllocate(int order, AllocationKind kind, [TryAcquiresPin] out Pfn first)
    {
        var index = (uint)order > MaxOrder ? NoPage : _allocator.Allocate(order, kind);
        first = index == NoPage ? default : new Pfn((ulong)index);
        return index != NoPage;
    }

    /// <summary>
    /// Frees a block the way its allocator's owner does (<c>__free_pages</c>): drops the first frame's reference and,
    /// for a non-compound block, hands every driver-owned tail back to the allocator at once — a tail somebody still
    /// references included, which is reported as <see cref="FindingKind.FreedWhilePinned"/> (the kernel frees it
    /// anyway, so the holder's later release hits whoever gets the frame next).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="first"/> is not the first frame of an allocated block.</exception>
    /// <exception cref="InvalidOperationException">The PFN has no descriptor (reported first).</exception>
    public void FreeBlock([ReleasesPin] Pfn first) =>
        _references.FreeBlock(DescriptorIndex(first, nameof(FreeBlock), FindingKind.DoubleFree), first);

    /// <summary>Takes free frames out of the allocator for good and marks them reserved (never refcounted for pinning).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or leaves RAM.</exception>
    /// <exception cref="InvalidOperationException">A frame in the range is not free.</exception>
    public void Reserve(Pfn first, int count)
    {
        if (count <= 0 || first.Value >= (ulong)PageCount || first.Value + (ulong)count > (ulong)PageCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Reserve needs 1.. frames inside RAM (pfn 0x0..0x{PageCount - 1:x}), starting at {first}.");
        }

        _allocator.Reserve((int)first.Value, count);
    }

    /// <summary>
    /// Adds a reference unconditionally (<c>get_page</c>). On a page that is not refcounted (a non-compound tail,
    /// reserved memory) this moves its count from 0 and the sanitizer reports
    /// <see cref="FindingKind.PinOfNonRefcountedPage"/>: the matching unpin will free the page under its owner.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    /// <exception cref="InvalidOperationException">The PFN has no descriptor, or the frame is free (reported first).</exception>
    public void Pin([AcquiresPin] Pfn pfn) =>
        _references.Get(DescriptorIndex(pfn, nameof(Pin), FindingKind.PinWithoutDescriptor), pfn);

    /// <summary>
    /// Adds a reference only when the page is refcounted and already referenced (<c>get_page_unless_zero</c> on the
    /// compound head). Returns <see langword="false"/> for non-compound tails, reserved or free frames, PFNs with no
    /// descriptor and PFNs that name no frame at all.
    /// </summary>
    public bool TryPin([TryAcquiresPin] Pfn pfn) => pfn.Value < (ulong)PageCount && _references.TryGet((int)pfn.Value);

    /// <summary>
    /// Adds a reference to the raw page when its own count is above zero (<c>get_page_unless_zero(pfn_to_page(pfn))</c>,
    /// what KVM's 2021 <c>kvm_try_get_pfn</c> did). Unlike <see cref="TryPin"/> it fails on a compound tail, whose own
    /// count is 0, and succeeds on reserved memory, whose base count is 1. Returns <see langword="false"/> for free
    /// frames, non-compound tails, and PFNs with no descriptor or no frame; release with <see cref="Unpin"/>.
    /// </summary>
    public bool TryGetRaw([TryAcquiresPin] Pfn pfn) => pfn.Value < (ulong)PageCount && _references.TryGetRaw((int)pfn.Value);

    /// <summary>
    /// Takes a FOLL_PIN reference (the grab of <c>pin_user_pages</c>, <c>try_grab_folio</c>): on a page already
    /// referenced and not reserved, adds <see cref="PinCountingBias"/> to an order-0 page's count, or 1 to a compound
    /// page's count and pin count. Refuses what <see cref="TryPin"/> refuses; release with
    /// <see cref="UnpinUserPage"/>, never <see cref="Unpin"/>.
    /// </summary>
    public bool TryPinUserPage([TryAcquiresPin] Pfn pfn) => pfn.Value < (ulong)PageCount && _references.TryPinUser((int)pfn.Value);

    /// <summary>
    /// Drops a reference (<c>put_page</c>). Reaching zero returns the page (the whole compound page) to the allocator;
    /// for a driver-owned page that is the CVE-2021-22543 use-after-free, reported as
    /// <see cref="FindingKind.FreedUnderDriver"/>. Dropping below zero is reported as <see cref="FindingKind.UnpinBelowZero"/>;
    /// dropping a FOLL_PIN reference (only pins left) as <see cref="FindingKind.MismatchedRelease"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    /// <exception cref="InvalidOperationException">The PFN has no descriptor (reported first).</exception>
    public void Unpin([ReleasesPin] Pfn pfn) =>
        _references.Put(DescriptorIndex(pfn, nameof(Unpin), FindingKind.PinWithoutDescriptor), nameof(Unpin));

    /// <summary>
    /// Drops a FOLL_PIN reference (<c>unpin_user_page</c>), freeing the page at zero as <see cref="Unpin"/> does. A
    /// page holding no pin is reported as <see cref="FindingKind.MismatchedRelease"/> (a <c>get_page</c> reference
    /// released as a pin), and one of its plain references is dropped instead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    /// <exception cref="InvalidOperationException">The PFN has no descriptor (reported first).</exception>
    public void UnpinUserPage([ReleasesPin] Pfn pfn) =>
        _references.UnpinUser(DescriptorIndex(pfn, nameof(UnpinUserPage), FindingKind.PinWithoutDescriptor), nameof(UnpinUserPage));

    /// <summary>Marks the page dirty (<c>set_page_dirty</c>); needs a reference held on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public void MarkDirty([RequiresPin] Pfn pfn) => MarkUnderReference(pfn, PageFlags.Dirty, nameof(MarkDirty));

    /// <summary>Marks the page accessed (<c>mark_page_accessed</c>); needs a reference held on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public void MarkAccessed([RequiresPin] Pfn pfn) => MarkUnderReference(pfn, PageFlags.Accessed, nameof(MarkAccessed));

    // kvm_release_faultin_page's marks (dirty when mapped writable, accessed either way) with one descriptor lookup,
    // as the fault path does it for every installed page.
    internal void MarkReleased([RequiresPin] Pfn pfn, bool dirty) =>
        MarkUnderReference(pfn, dirty ? PageFlags.Dirty | PageFlags.Accessed : PageFlags.Accessed, dirty ? nameof(MarkDirty) : nameof(MarkAccessed));

    /// <summary>Registers a kind of mapping by name so frames it maps can be blamed on it.</summary>
    public MapperId RegisterMapper(string name) => _mappers.Register(name);

    /// <summary>The name <paramref name="mapper"/> was registered with.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id was not registered with this memory.</exception>
    public string MapperName(MapperId mapper) => _mappers.NameOf(mapper);

    /// <summary>Records that <paramref name="mapper"/> now points at <paramref name="pfn"/>; a no-op for a frame with no descriptor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    public void AddMapping(Pfn pfn, MapperId mapper)
    {
        var index = IndexOrNoDescriptor(pfn);
        if (index != NoPage)
        {
            _mappers.Add(index, mapper);
        }
    }

    /// <summary>Records that <paramref name="mapper"/> no longer points at <paramref name="pfn"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a device range.</exception>
    /// <exception cref="InvalidOperationException">No mapping of the frame is recorded (a mapping removed twice).</exception>
    public void RemoveMapping(Pfn pfn, MapperId mapper)
    {
        var index = IndexOrNoDescriptor(pfn);
        if (index != NoPage)
        {
            _mappers.Remove(index, mapper);
        }
    }

    private void MarkUnderReference(Pfn pfn, PageFlags mark, string operation)
    {
        var index = IndexOrNoDescriptor(pfn);
        if (index != NoPage)
        {
            _references.Mark(index, pfn, mark, operation);
        }
        else if (Checking)
        {
            Sanitizer!.Report(FindingKind.MarkWithoutReference, pfn, DescribeDevice(pfn), operation, "the frame has no page descriptor to mark");
        }
    }

    private bool HasFlag(Pfn pfn, PageFlags flag)
    {
        var index = IndexOrNoDescriptor(pfn);
        return index != NoPage && (_pages.Flags[index] & flag) != 0;
    }

    // RAM index, or NoPage for a registered device frame; anything else is a caller bug.
    private int IndexOrNoDescriptor(Pfn pfn)
    {
        if (pfn.Value < (ulong)PageCount)
        {
            return (int)pfn.Value;
        }

        _devices.Find(pfn);
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

    private string DescribeDevice(Pfn pfn) => "device range '" + _devices.Find(pfn).Name + "'";
}
