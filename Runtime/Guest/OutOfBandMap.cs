using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Guest;

/// <summary>
/// A guest page mapped outside the stage-2 tables (<c>struct kvm_host_map</c>, e.g. a vmcs12 or an APIC page handed
/// to hardware): MMU notifiers never reach it, so it holds a pin until <see cref="Unmap"/>.
/// </summary>
/// <remarks>Created by <see cref="Vm.TryMapOutOfBand"/>, which refuses pages that cannot be pinned.</remarks>
public sealed class OutOfBandMap
{
    private readonly Vm _vm;

    [Pinned]
    private readonly Pfn _pfn;

    internal OutOfBandMap(Vm vm, Gfn gfn, [TakesPinOwnership] Pfn pfn, string owner)
    {
        _vm = vm;
        Gfn = gfn;
        _pfn = pfn;
        Owner = owner;
    }

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

    /// <summary>Marks the mapped page dirty, as a write through the map does.</summary>
    [RequiresPin]
    public void MarkDirty()
    {
        if (ReportIfUnmapped(nameof(MarkDirty), "the map was written after it was unmapped"))
        {
            return;
        }

        _vm.Memory.MarkDirty(_pfn);
    }

    /// <summary>Drops the map and its pin (<c>kvm_vcpu_unmap</c>), marking the page dirty first when <paramref name="dirty"/>. A second unmap is reported, not repeated.</summary>
    [ReleasesPin]
    public void Unmap(bool dirty = false)
    {
        if (ReportIfUnmapped(nameof(Unmap), "the map was unmapped twice; its pin was already released"))
        {
            return;
        }

        if (dirty)
        {
            _vm.Memory.MarkDirty(_pfn);
        }

        IsMapped = false;
        _vm.ReleaseOutOfBand(_pfn, Owner);
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
