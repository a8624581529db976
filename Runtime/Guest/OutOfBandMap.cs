using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Guest;

/// <summary>
/// A guest page mapped outside the stage-2 tables (<c>struct kvm_host_map</c>, e.g. a vmcs12 or an APIC page handed
/// to hardware): MMU notifiers never reach it, so it holds a pin until <see cref="Unmap"/>.
/// </summary>
/// <remarks>
/// Created by <see cref="Vm.TryMapOutOfBand(Gfn, string, bool, out OutOfBandMap, out Mapping.PinRefusal)"/>, which
/// refuses pages that cannot be pinned. The exceptions hold no reference (<see cref="IsPinned"/> false): a
/// trusted-unsafe map of remapped memory under <c>allow_unsafe_mappings</c>, and a page-less or reserved frame under
/// the pre-6.13 policies.
/// </remarks>
public sealed class OutOfBandMap
{
    private readonly Vm _vm;

    [Pinned]
    private readonly Pfn _pfn;

    internal OutOfBandMap(Vm vm, Gfn gfn, [TakesPinOwnership] Pfn pfn, string owner, bool referenced, bool writable)
    {
        _vm = vm;
        Gfn = gfn;
        _pfn = pfn;
        Owner = owner;
        IsPinned = referenced;
        IsWritable = writable;
    }

    /// <summary>Whether the map holds a reference on its page (<c>map-&gt;pinned_page</c>).</summary>
    public bool IsPinned { get; }

    /// <summary>Whether the map was taken for writing (<c>map-&gt;writable</c>): its unmap marks the page dirty.</summary>
    public bool IsWritable { get; }

    /// <summary>The guest frame mapped.</summary>
    public Gfn Gfn { get; }

    /// <summary>Who holds the map, as reports name it.</summary>
    public string Owner { get; }

    /// <summary>Whether the map is live (not yet unmapped).</summary>
    public bool IsMapped { get; private set; } = true;

    /// <summary>
    /// The host frame, as the hardware uses it. After <see cref="Unmap"/> the sanitizer reports
    /// <see cref="FindingKind.UseAfterUnmap"/>: the frame may already belong to someone else.
    /// </summary>
    [RequiresPin]
    public Pfn Access()
    {
        ReportIfUnmapped(nameof(Access), "the map was used after it was unmapped; the frame may belong to someone else now");
        return _pfn;
    }

    /// <summary>
    /// Records a write through the map, as hardware writing the page does: the guest frame goes into its memslot's
    /// dirty log (<c>kvm_vcpu_mark_page_dirty</c>, as <c>nested_mark_vmcs12_pages_dirty</c> does) and a pinned page
    /// is marked dirty.
    /// </summary>
    [RequiresPin]
    public void MarkDirty()
    {
        if (ReportIfUnmapped(nameof(MarkDirty), "the map was written after it was unmapped"))
        {
            return;
        }

        _vm.MarkPageDirty(Gfn);
        if (IsPinned)
        {
            _vm.Memory.MarkDirty(_pfn);
        }
    }

    /// <summary>
    /// Drops the map and its pin (<c>kvm_vcpu_unmap</c>). A writable map, or <paramref name="dirty"/>, marks the
    /// guest frame in the dirty log and the pinned page dirty first; a pinned page is marked accessed. A second unmap
    /// is reported, not repeated.
    /// </summary>
    [ReleasesPin]
    public void Unmap(bool dirty = false)
    {
        if (ReportIfUnmapped(nameof(Unmap), "the map was unmapped twice; its pin was already released"))
        {
            return;
        }

        IsMapped = false;
        _vm.ReleaseOutOfBand(_pfn, Gfn, Owner, IsPinned, dirty || IsWritable);
    }

    /// <summary>Formats as <c>owner: gfn 0x.. -> pfn 0x.. (mapped)</c>.</summary>
    public override string ToString() => $"{Owner}: {Gfn} -> {_pfn} ({(IsMapped ? "mapped" : "unmapped")})";

    private bool ReportIfUnmapped(string operation, string detail)
    {
        if (IsMapped)
        {
            return false;
        }

        if (_vm.Sanitizer is { Enabled: true } sanitizer)
        {
            sanitizer.Report(FindingKind.UseAfterUnmap, _pfn, Owner, operation, detail);
        }

        return true;
    }
}
