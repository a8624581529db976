using System;
using MmuGuard.Host;
using MmuGuard.Physical;

namespace MmuGuard.Samples.World;

/// <summary>
/// A GPU buffer as a TTM-style driver manages it: a non-compound higher-order block the driver owns, with one of its
/// pages exposed to userspace through a <c>VM_PFNMAP</c> VMA (<c>vmf_insert_pfn</c>). The exposed page is a tail of
/// the block: valid, but refcount 0 and owned by the driver, so nobody else may pin it.
/// </summary>
internal sealed class GpuBuffer
{
    private readonly AddressSpace _mm;

    // The block's only reference (on its first frame) belongs to the driver until teardown.
    [Pinned]
    private readonly Pfn _first;

    private GpuBuffer(AddressSpace mm, string name, int order, int exposedPage)
    {
        _mm = mm;
        Name = name;
        Order = order;
        _first = mm.Memory.Allocate(order, AllocationKind.NonCompound);
        ExposedPfn = _first.Add((ulong)exposedPage);
        Vma = mm.Mmap(1, VmaFlags.PfnMap, name);
        mm.InsertPfn(Vma.Start, ExposedPfn);
    }

    /// <summary>What the buffer is, as the story names it.</summary>
    public string Name { get; }

    /// <summary>The block order (2^order frames).</summary>
    public int Order { get; }

    /// <summary>The frame userspace (and so a guest) sees: a tail of the block, not refcounted.</summary>
    [MayBeNonRefcounted]
    public Pfn ExposedPfn { get; }

    /// <summary>The PfnMap VMA userspace maps the exposed page through.</summary>
    public Vma Vma { get; }

    /// <summary>Where userspace sees the exposed page.</summary>
    public HostVirtualAddress UserAddress => Vma.Start;

    /// <summary>Whether <see cref="TearDown"/> has run.</summary>
    public bool IsTornDown { get; private set; }

    /// <summary>
    /// Allocates an order-<paramref name="order"/> non-compound block and exposes page <paramref name="exposedPage"/>
    /// of it (a tail page, so not 0) through a new PfnMap VMA of <paramref name="mm"/>.
    /// </summary>
    public static GpuBuffer Allocate(AddressSpace mm, string name, int order, int exposedPage)
    {
        ArgumentNullException.ThrowIfNull(mm);
        if (exposedPage <= 0 || exposedPage >= 1 << order)
        {
            throw new ArgumentOutOfRangeException(
                nameof(exposedPage), exposedPage, $"The exposed page must be a tail page of the order-{order} block: 1..{(1 << order) - 1}.");
        }

        return new GpuBuffer(mm, name, order, exposedPage);
    }

    /// <summary>
    /// Tears the buffer down as the driver does: unmaps userspace's view (the MMU notifiers run, so every stage-2
    /// entry and PFN cache over the page goes), then hands the whole block back to the page allocator.
    /// </summary>
    public void TearDown()
    {
        if (IsTornDown)
        {
            throw new InvalidOperationException($"GPU buffer {Name} is already torn down.");
        }

        _mm.Munmap(Vma.Start, 1);
        _mm.Memory.FreeBlock(_first);
        IsTornDown = true;
    }

    /// <summary>Formats as <c>name (order-2 non-compound block, exposes pfn 0x..)</c>.</summary>
    public override string ToString() => $"{Name} (order-{Order} non-compound block, exposes {ExposedPfn})";
}
