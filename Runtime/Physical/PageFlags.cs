using System;

namespace MmuGuard.Physical;

/// <summary>The per-frame state bits of a page descriptor, kept packed in one array.</summary>
[Flags]
internal enum PageFlags : ushort
{
    None = 0,

    /// <summary>In the allocator: on the hot list or inside a free buddy block.</summary>
    Free = 1 << 0,

    /// <summary>First page of a free buddy block; its order is the block's order.</summary>
    Buddy = 1 << 1,

    CompoundHead = 1 << 2,

    /// <summary>Counts on the head: the page's order says which aligned block it belongs to.</summary>
    CompoundTail = 1 << 3,

    /// <summary>First page of a non-compound block of order above zero (holds the block's one refcount).</summary>
    BlockHead = 1 << 4,

    /// <summary>A non-compound tail: refcount 0, kept alive by its driver rather than by references.</summary>
    DriverOwned = 1 << 5,

    /// <summary>Never handed to the allocator (firmware, carve-outs); never refcounted for pinning.</summary>
    Reserved = 1 << 6,

    Dirty = 1 << 7,

    Accessed = 1 << 8,
}
