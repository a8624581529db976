using System;
using System.Collections.Generic;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Host;

/// <summary>
/// A host process address space (the <c>mm</c>): VMAs, their page tables, anonymous fault-in, the driver's raw-PFN
/// insertion, the two resolvers KVM uses (GUP and follow-pte), and unmapping wrapped in MMU-notifier calls.
/// </summary>
public sealed class AddressSpace
{
    // Where automatic placement starts, and the unmapped guard page kept between automatically placed VMAs.
    private const ulong FirstPlacementPage = 0x10000;
    private const ulong GuardPages = 1;

    private readonly List<Vma> _vmas = new();
    private readonly MapperId _pageTable;
    private Vma? _lastFound;

    // The shared zero page (ZERO_PAGE): read faults on anonymous memory map it read-only until the first write breaks
    // copy-on-write. The address space holds its one reference for its whole life, as the kernel never frees it.
    [Pinned]
    private Pfn _zeroPage;
    private bool _hasZeroPage;

    /// <summary>Creates an empty address space over <paramref name="memory"/>.</summary>
    public AddressSpace(PhysicalMemory memory, string name = "mm")
    {
        Memory = memory ?? throw new ArgumentNullException(nameof(memory));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _pageTable = memory.RegisterMapper(name + " host page table");
    }

    /// <summary>The physical memory the page tables point into.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>What the address space is, as messages name it.</summary>
    public string Name { get; }

    /// <summary>The MMU-notifier subscribers told of every unmap and zap.</summary>
    public MmuNotifierHub Notifiers { get; } = new();

    /// <summary>The VMAs, by ascending start address.</summary>
    public IReadOnlyList<Vma> Vmas => _vmas;

    /// <summary>Whether the shared zero page has been allocated (it is never freed).</summary>
    public bool HasZeroPage => _hasZeroPage;

    /// <summary>Whether <paramref name="pfn"/> is the shared zero page that read faults on anonymous memory map read-only.</summary>
    public bool IsZeroPage(Pfn pfn) => _hasZeroPage && pfn == _zeroPage;

    /// <summary>Maps <paramref name="pageCount"/> pages at an address the address space picks, above every existing VMA.</summary>
    public Vma Mmap(ulong pageCount, VmaFlags flags, string name)
    {
        var page = _vmas.Count == 0 ? FirstPlacementPage : _vmas[^1].End.PageNumber + GuardPages;
        return Mmap(HostVirtualAddress.FromPage(page), pageCount, flags, name);
    }

    /// <summary>Maps <paramref name="pageCount"/> pages at <paramref name="start"/> (<c>MAP_FIXED_NOREPLACE</c>).</summary>
    /// <exception cref="ArgumentException">The start is not page-aligned, the length is zero, or the range overlaps a VMA.</exception>
    public Vma Mmap(HostVirtualAddress start, ulong pageCount, VmaFlags flags, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!start.IsPageAligned)
        {
            throw new ArgumentException($"VMA '{name}' must start on a page boundary; {start} is not.", nameof(start));
        }

        if (pageCount == 0)
        {
            throw new ArgumentException($"VMA '{name}' needs at least one page.", nameof(pageCount));
        }

        var vma = new Vma(name, start, pageCount, flags);
        var insertAt = 0;
        while (insertAt < _vmas.Count && _vmas[insertAt].Start.Value < start.Value)
        {
            insertAt++;
        }

        var before = insertAt > 0 ? _vmas[insertAt - 1] : null;
        var after = insertAt < _vmas.Count ? _vmas[insertAt] : null;
        var clash = before is not null && before.End.Value > start.Value ? before
            : after is not null && after.Start.Value < vma.End.Value ? after
            : null;
        if (clash is not null)
        {
            throw new ArgumentException($"VMA '{name}' {vma.Range} overlaps VMA {clash} in {Name}.", nameof(start));
        }

        _vmas.Insert(insertAt, vma);
        return vma;
    }

    /// <summary>The VMA containing <paramref name="address"/>, or <see langword="null"/>.</summary>
    public Vma? FindVma(HostVirtualAddress address)
    {
        var last = _lastFound;
        if (last is not null && last.Contains(address))
        {
            return last;
        }

        int low = 0, high = _vmas.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var vma = _vmas[middle];
            if (address.Value < vma.Start.Value)
            {
                high = middle - 1;
            }
            else if (address.Value >= vma.End.Value)
            {
                low = middle + 1;
            }
            else
            {
                _lastFound = vma;
                return vma;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes an anonymous page as userspace would: allocates and maps a frame on first touch, and breaks
    /// copy-on-write of a page mapped read-only from the zero page (in a read-only VMA the zero page stays). The page
    /// table holds the frame's reference; the returned PFN carries none.
    /// </summary>
    /// <exception cref="InvalidOperationException">No VMA covers the address, or the VMA is not anonymous memory.</exception>
    [return: Borrowed]
    public Pfn FaultIn(HostVirtualAddress address)
    {
        var vma = RequireVma(address, nameof(FaultIn));
        if (!vma.IsAnonymous)
        {
            throw new InvalidOperationException($"{nameof(FaultIn)} at {address}: VMA {vma} is not anonymous memory; only its driver fills it (InsertPfn).");
        }

        return TryFaultInAnonymous(vma, address, write: true, out var pfn)
            ? pfn
            : throw new InvalidOperationException($"{nameof(FaultIn)} at {address}: out of memory, no free frame to fault the page in.");
    }

    /// <summary>Writes an anonymous page like <see cref="FaultIn"/>, returning <see langword="false"/> (never throwing) when no anonymous VMA covers the address or memory is exhausted.</summary>
    public bool TryFaultIn(HostVirtualAddress address, [Borrowed] out Pfn pfn)
    {
        var vma = FindVma(address);
        if (vma is not null && vma.IsAnonymous)
        {
            return TryFaultInAnonymous(vma, address, write: true, out pfn);
        }

        pfn = default;
        return false;
    }

    /// <summary>
    /// A driver inserts raw frame <paramref name="pfn"/> at <paramref name="address"/> (<c>vmf_insert_pfn</c>,
    /// <c>vmf_insert_mixed</c>), writable where the VMA is. No reference is taken: the frame may be a non-compound
    /// tail or have no descriptor at all.
    /// </summary>
    /// <exception cref="InvalidOperationException">No VMA, a VMA that is neither PfnMap nor MixedMap, or the page is already mapped.</exception>
    public void InsertPfn(HostVirtualAddress address, [MayBeNonRefcounted] Pfn pfn) => InsertPfn(address, pfn, writable: true);

    /// <summary>
    /// Inserts raw frame <paramref name="pfn"/> as <see cref="InsertPfn(HostVirtualAddress, Pfn)"/> does, with the PTE's
    /// write bit set only when <paramref name="writable"/> and the VMA is writable (<c>vmf_insert_pfn_prot</c>). A PfnMap
    /// VMA always gets a special PTE; a MixedMap VMA gets one only for a frame with no descriptor, as
    /// <c>vmf_insert_mixed</c> maps a valid page with an ordinary PTE.
    /// </summary>
    /// <exception cref="InvalidOperationException">No VMA, a VMA that is neither PfnMap nor MixedMap, or the page is already mapped.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a registered device range.</exception>
    public void InsertPfn(HostVirtualAddress address, [MayBeNonRefcounted] Pfn pfn, bool writable)
    {
        var vma = RequireVma(address, nameof(InsertPfn));
        if (!vma.AcceptsRawPfns)
        {
            throw new InvalidOperationException($"{nameof(InsertPfn)} at {address}: VMA {vma} is neither PfnMap nor MixedMap, so it cannot take raw PFNs.");
        }

        if (vma.TryGetEntry(address, out var existing))
        {
            throw new InvalidOperationException($"{nameof(InsertPfn)} at {address}: the page already maps {existing}; zap it first.");
        }

        if (!Memory.IsKnown(pfn))
        {
            throw new ArgumentOutOfRangeException(nameof(pfn), pfn, $"{nameof(InsertPfn)} at {address}: {pfn} is neither RAM nor in a registered device range.");
        }

        var special = (vma.Flags & VmaFlags.PfnMap) != 0 || !Memory.HasDescriptor(pfn);
        vma.SetEntry(address, pfn, writable, special);
        Memory.AddMapping(pfn, _pageTable);
    }

    /// <summary>
    /// Resolves <paramref name="address"/> with a reference taken (<c>get_user_pages</c>): the caller must unpin it.
    /// Faults anonymous memory in; fails on PfnMap/Io VMAs and on MixedMap pages that are not refcounted.
    /// </summary>
    /// <exception cref="InvalidOperationException">The address cannot be resolved this way; the message says why.</exception>
    [return: Pinned]
    public Pfn GetUserPages(HostVirtualAddress address)
    {
        if (TryGetUserPages(address, out var pfn))
        {
            return pfn;
        }

        var vma = RequireVma(address, nameof(GetUserPages));
        throw new InvalidOperationException(vma.RefusesGetUserPages
            ? $"{nameof(GetUserPages)} at {address}: VMA {vma} is PfnMap/Io; its frames are raw PFNs, use FollowPte."
            : $"{nameof(GetUserPages)} at {address}: VMA {vma} maps no refcounted page there.");
    }

    /// <summary>Resolves like <see cref="GetUserPages"/> for reading, returning <see langword="false"/> instead of throwing.</summary>
    public bool TryGetUserPages(HostVirtualAddress address, [TryAcquiresPin] out Pfn pfn) => TryGetUserPages(address, write: false, out pfn, out _);

    /// <summary>
    /// Resolves <paramref name="address"/> with a reference taken (<c>get_user_pages</c>), with <c>FOLL_WRITE</c> when
    /// <paramref name="write"/>. A read of untouched anonymous memory maps the shared zero page read-only; a write
    /// to it breaks copy-on-write (a fresh page replaces it inside an MMU-notifier invalidation). Returns <see langword="false"/> (never throws) for: no VMA, a PfnMap/Io VMA, a write to
    /// a VMA without <c>VM_WRITE</c>, a special PTE (a raw PFN in a MixedMap VMA), a page that is not refcounted, or
    /// no free frame to fault an anonymous page in. <paramref name="writable"/> says whether the host PTE now allows
    /// writes (KVM's <c>map_writable</c>).
    /// </summary>
    public bool TryGetUserPages(HostVirtualAddress address, bool write, [TryAcquiresPin] out Pfn pfn, out bool writable)
    {
        var vma = FindVma(address);
        writable = false;
        pfn = default;
        if (vma is null || vma.RefusesGetUserPages || (write && !vma.IsWritable))
        {
            return false;
        }

        if (vma.IsAnonymous)
        {
            if (!TryFaultInAnonymous(vma, address, write, out pfn))
            {
                return false;
            }
        }
        else if (!vma.TryGetEntry(address, out pfn, out _, out var special) || special)
        {
            // vm_normal_page() returns no page for a special PTE, so GUP fails whatever the frame's refcount.
            pfn = default;
            return false;
        }

        vma.TryGetEntry(address, out _, out writable, out _);
        if (write && !writable)
        {
            pfn = default;
            return false;
        }

        // GUP grabs a reference only on a page that already has one (try_grab_folio).
        if (Memory.TryPin(pfn))
        {
            return true;
        }

        pfn = default;
        writable = false;
        return false;
    }

    /// <summary>
    /// Reads the page-table entry for <paramref name="address"/> (<c>follow_pte</c>): no reference is taken, and the
    /// frame may be a non-compound tail or have no descriptor.
    /// </summary>
    /// <exception cref="InvalidOperationException">No VMA covers the address, or nothing is mapped there.</exception>
    [return: Borrowed, MayBeNonRefcounted]
    public Pfn FollowPte(HostVirtualAddress address)
    {
        var vma = RequireVma(address, nameof(FollowPte));
        if (vma.TryGetEntry(address, out var pfn))
        {
            return pfn;
        }

        throw new InvalidOperationException($"{nameof(FollowPte)} at {address}: VMA {vma} has no page-table entry there.");
    }

    /// <summary>Reads like <see cref="FollowPte"/>, returning <see langword="false"/> instead of throwing.</summary>
    public bool TryFollowPte(HostVirtualAddress address, [Borrowed, MayBeNonRefcounted] out Pfn pfn) => TryFollowPte(address, out pfn, out _);

    /// <summary>
    /// Reads like <see cref="FollowPte"/> (<c>follow_pfnmap_start</c>), also giving the PTE's write bit
    /// (<c>args.writable</c>), which a caller must honour before mapping the frame writable (bd2fae8da794).
    /// </summary>
    public bool TryFollowPte(HostVirtualAddress address, [Borrowed, MayBeNonRefcounted] out Pfn pfn, out bool writable)
    {
        var vma = FindVma(address);
        if (vma is not null && vma.TryGetEntry(address, out pfn, out writable, out _))
        {
            return true;
        }

        pfn = default;
        writable = false;
        return false;
    }

    /// <summary>
    /// Removes the page-table entries of <paramref name="pageCount"/> pages from <paramref name="start"/> but keeps
    /// the VMAs (<c>zap_page_range</c>, a driver's <c>unmap_mapping_range</c>). Subscribers are told before any entry
    /// goes; anonymous pages lose the page table's reference only after that.
    /// </summary>
    public void ZapRange(HostVirtualAddress start, ulong pageCount)
    {
        var range = CheckedRange(start, pageCount, nameof(ZapRange));
        Notifiers.InvalidateRangeStart(range);
        ClearEntries(range);
        Notifiers.InvalidateRangeEnd(range);
    }

    /// <summary>
    /// Zaps and removes the VMAs in the range (<c>munmap</c>). Only whole VMAs can be unmapped. A range with no VMA
    /// at all succeeds and changes nothing, as in Linux, but the sanitizer notes it
    /// (<see cref="FindingKind.UnmapOfUnmappedRange"/>): in a sim it is usually a double unmap.
    /// </summary>
    /// <exception cref="ArgumentException">The range cuts a VMA in two.</exception>
    public void Munmap(HostVirtualAddress start, ulong pageCount)
    {
        var range = CheckedRange(start, pageCount, nameof(Munmap));
        var anyOverlap = false;
        foreach (var vma in _vmas)
        {
            var overlaps = vma.Start.Value < range.End.Value && range.Start.Value < vma.End.Value;
            if (overlaps && (vma.Start.Value < range.Start.Value || vma.End.Value > range.End.Value))
            {
                throw new ArgumentException($"{nameof(Munmap)} {range} would split VMA {vma}; splitting VMAs is not modelled, unmap whole VMAs.", nameof(start));
            }

            anyOverlap |= overlaps;
        }

        if (!anyOverlap)
        {
            if (Memory.Sanitizer is { Enabled: true } sanitizer)
            {
                sanitizer.ReportRange(FindingKind.UnmapOfUnmappedRange, range, Name, nameof(Munmap), $"no VMA of {Name} overlaps {range}: nothing was unmapped (a second munmap of the same range?)");
            }

            return;
        }

        Notifiers.InvalidateRangeStart(range);
        ClearEntries(range);
        _vmas.RemoveAll(vma => range.Contains(vma.Start));
        _lastFound = null;
        Notifiers.InvalidateRangeEnd(range);
    }

    private void ClearEntries(HostRange range)
    {
        foreach (var vma in _vmas)
        {
            var first = Math.Max(vma.Start.PageNumber, range.FirstPage);
            var end = Math.Min(vma.End.PageNumber, range.EndPage);
            for (var page = first; page < end; page++)
            {
                if (!vma.TryClearEntry(page - vma.Start.PageNumber, out var pfn))
                {
                    continue;
                }

                Memory.RemoveMapping(pfn, _pageTable);
                if (vma.IsAnonymous && !IsZeroPage(pfn))
                {
                    Memory.Unpin(pfn); // the page table's own reference: the frame is freed unless someone else pins it
                }
            }
        }
    }

    // do_anonymous_page / do_wp_page: a read maps the zero page, a write maps a fresh page or breaks COW.
    private bool TryFaultInAnonymous(Vma vma, HostVirtualAddress address, bool write, [Borrowed] out Pfn pfn)
    {
        if (vma.TryGetEntry(address, out pfn, out var writable, out _))
        {
            return !write || writable || !vma.IsWritable || TryBreakCopyOnWrite(vma, address, out pfn);
        }

        if (!write || !vma.IsWritable)
        {
            if (!TryGetZeroPage(out pfn))
            {
                return false;
            }

            vma.SetEntry(address, pfn, writable: false, special: true);
            Memory.AddMapping(pfn, _pageTable);
            return true;
        }

        if (!Memory.TryAllocate(0, AllocationKind.Compound, out var page))
        {
            return false;
        }

        vma.AdoptEntry(address, page);
        Memory.AddMapping(page, _pageTable);
        pfn = page;
        return true;
    }

    // wp_page_copy: the only read-only anonymous PTE is the zero page's, so a write copies it into a fresh page, with
    // the MMU notifiers told first so a secondary MMU drops its read-only view of the zero page.
    private bool TryBreakCopyOnWrite(Vma vma, HostVirtualAddress address, [Borrowed] out Pfn pfn)
    {
        if (!Memory.TryAllocate(0, AllocationKind.Compound, out var page))
        {
            pfn = default;
            return false;
        }

        var range = HostRange.OfPages(HostVirtualAddress.FromPage(address.PageNumber), 1);
        Notifiers.InvalidateRangeStart(range);
        vma.TryClearEntry(address.PageNumber - vma.Start.PageNumber, out var old);
        Memory.RemoveMapping(old, _pageTable);
        vma.AdoptEntry(address, page);
        Memory.AddMapping(page, _pageTable);
        Notifiers.InvalidateRangeEnd(range);
        pfn = page;
        return true;
    }

    private bool TryGetZeroPage([Borrowed] out Pfn pfn)
    {
        if (!_hasZeroPage)
        {
            if (!Memory.TryAllocate(0, AllocationKind.Compound, out var page))
            {
                pfn = default;
                return false;
            }

            _zeroPage = page;
            _hasZeroPage = true;
        }

        pfn = _zeroPage;
        return true;
    }

    private Vma RequireVma(HostVirtualAddress address, string operation) =>
        FindVma(address) ?? throw new InvalidOperationException($"{operation} at {address}: no VMA of {Name} covers that address.");

    private static HostRange CheckedRange(HostVirtualAddress start, ulong pageCount, string operation)
    {
        if (!start.IsPageAligned || pageCount == 0)
        {
            throw new ArgumentException($"{operation} needs a page-aligned start and at least one page; got {start} and {pageCount} pages.", nameof(start));
        }

        return HostRange.OfPages(start, pageCount);
    }
}
