using System;

namespace MmuGuard.Physical;

/// <summary>
/// The page descriptors (<c>struct page</c>) of every RAM frame, stored struct-of-arrays so the hot paths touch only
/// plain arrays: 4 + 2 + 1 + 4 + 4 + 4 + 4 = 23 bytes a frame.
/// </summary>
/// <remarks>
/// The arrays are exposed as fields on purpose: the allocator and the reference operations index them directly on
/// every pin and fault, and a property or span per access would cost on the measured paths.
/// </remarks>
internal sealed class PageDescriptors
{
    /// <summary>The "no frame" index of lists and lookups.</summary>
    public const int NoPage = -1;

    /// <summary>The reference count (<c>_refcount</c>); only a head's count governs a compound page.</summary>
    public readonly int[] RefCount;

    /// <summary>State bits, one <see cref="PageFlags"/> per frame.</summary>
    public readonly PageFlags[] Flags;

    /// <summary>The order of the block the frame belongs to (allocated) or heads (free buddy block).</summary>
    public readonly byte[] Order;

    /// <summary>How many mappings point at the frame (survives a free, so a stale mapping is still seen).</summary>
    public readonly int[] MapCount;

    /// <summary>The <see cref="MapperId"/> value of the mapping added last, to blame in reports.</summary>
    public readonly int[] LastMapper;

    /// <summary>
    /// Next link of the free list the frame is on while it is free (<c>page-&gt;lru</c>); unused otherwise.
    /// </summary>
    public readonly int[] ListNext;

    /// <summary>
    /// Previous link while the frame heads a free buddy block. For an allocated compound page the first tail's word
    /// holds the page's pin count instead: the kernel keeps <c>folio-&gt;_pincount</c> in the second page too.
    /// </summary>
    public readonly int[] ListPrev;

    /// <summary>Creates descriptors for <paramref name="pageCount"/> frames, every one marked free.</summary>
    public PageDescriptors(int pageCount)
    {
        Count = pageCount;
        RefCount = new int[pageCount];
        Flags = new PageFlags[pageCount];
        Order = new byte[pageCount];
        MapCount = new int[pageCount];
        LastMapper = new int[pageCount];
        ListNext = new int[pageCount];
        ListPrev = new int[pageCount];
        Array.Fill(Flags, PageFlags.Free);
    }

    /// <summary>The number of frames.</summary>
    public int Count { get; }

    /// <summary>Whether <paramref name="head"/> heads a compound page (order above zero).</summary>
    public bool IsCompoundHead(int head) => (Flags[head] & PageFlags.CompoundHead) != 0;

    /// <summary>Who owns frame <paramref name="index"/>, as reports name it.</summary>
    public string DescribeOwner(int index)
    {
        var flags = Flags[index];
        if ((flags & (PageFlags.DriverOwned | PageFlags.BlockHead)) != 0)
        {
            var block = index & ~((1 << Order[index]) - 1);
            return $"driver (non-compound order-{Order[index]} block at pfn 0x{block:x})";
        }

        return (flags & PageFlags.Reserved) != 0 ? "reserved memory" : BuddyAllocator.Owner;
    }
}
