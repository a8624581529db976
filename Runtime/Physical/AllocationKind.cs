namespace MmuGuard.Physical;

/// <summary>How a higher-order block is handed out: as one compound page, or as a driver-owned run of plain pages.</summary>
public enum AllocationKind
{
    /// <summary>
    /// One compound page (<c>__GFP_COMP</c>): the head carries the only refcount, and a reference to any tail page
    /// counts on the head.
    /// </summary>
    Compound,

    /// <summary>
    /// A non-compound block (what TTM-style GPU memory managers allocate): only the first page has a refcount of 1;
    /// every other page has refcount 0 and is owned by the driver, valid but not refcounted.
    /// </summary>
    NonCompound,
}
