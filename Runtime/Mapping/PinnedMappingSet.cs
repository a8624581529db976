using System;
using MmuGuard.Guest;
using MmuGuard.Physical;
using MmuGuard.Sanitizer;

namespace MmuGuard.Mapping;

/// <summary>
/// The out-of-band mappings of one owner (the pins KVM takes with <c>kvm_vcpu_map</c>): the bookkeeping behind each
/// generated <c>Map…</c>/<c>Unmap…</c>/<c>…Pfn</c> member, one slot per mapping member, kept once here so the
/// generated code only forwards to it.
/// </summary>
/// <remarks>Mapping, refusing and unmapping allocate nothing once the set exists.</remarks>
public sealed class PinnedMappingSet
{
    private readonly string[] _members;
    private readonly IPinnedPageSource?[] _sources;

    /// <summary>Creates the set for <paramref name="owner"/>, one slot per mapping field in <paramref name="members"/>.</summary>
    public PinnedMappingSet(string owner, params string[] members)
    {
        _members = members ?? throw new ArgumentNullException(nameof(members));
        _sources = new IPinnedPageSource?[members.Length];
        Ledger = new PinLedger(owner, members);
    }

    /// <summary>Which slot holds which frame, since which call site.</summary>
    public PinLedger Ledger { get; }

    /// <summary>
    /// Pins the page behind <paramref name="gfn"/> through <paramref name="source"/> into <paramref name="slot"/> and
    /// stores the frame in <paramref name="field"/>. The new page is pinned first: a refusal leaves the old mapping
    /// intact, success releases the old pin last.
    /// </summary>
    /// <remarks>
    /// <paramref name="field"/> is the owner's mapping field: it holds the pinned frame for as long as the owner keeps
    /// the mapping, and <see cref="Unmap"/> releases that pin through the source that took it.
    /// </remarks>
    public MapResult Map(
        int slot, [Pinned] ref Pfn field, IPinnedPageSource source, Gfn gfn, string callerMember, string callerFile, int callerLine)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (!source.TryPinGuestPage(gfn, out var pfn, out var refusal))
        {
            return MapResult.Refused(refusal);
        }

        var previousSource = Ledger.IsLive(slot) ? _sources[slot] : null;
        var previous = previousSource is null ? default : Ledger.Clear(slot);
        field = pfn;
        _sources[slot] = source;
        Ledger.Record(slot, pfn, callerMember, callerFile, callerLine);

        // The old pin goes last: the new mapping is complete even if releasing the old one reports a bug.
        previousSource?.ReleaseGuestPage(previous);
        return MapResult.Mapped(pfn);
    }

    /// <summary>Releases the pin <paramref name="slot"/> holds, once; returns <see langword="false"/> when it holds none.</summary>
    public bool Unmap(int slot)
    {
        if (!Ledger.IsLive(slot))
        {
            return false;
        }

        // The source stays remembered after the release, so a later use after unmap reaches its sanitizer.
        _sources[slot]!.ReleaseGuestPage(Ledger.Clear(slot));
        return true;
    }

    /// <summary>Whether <paramref name="slot"/> is mapped and holds its pin.</summary>
    public bool IsMapped(int slot) => Ledger.IsLive(slot);

    /// <summary>
    /// The frame <paramref name="slot"/> maps. Reading it unmapped is a use after unmap: reported to the sanitizer of
    /// the source that mapped it (<paramref name="last"/> is the frame it held) and thrown.
    /// </summary>
    /// <exception cref="InvalidOperationException">The slot is not mapped.</exception>
    public Pfn PfnOf(int slot, Pfn last, string property)
    {
        if (Ledger.IsLive(slot))
        {
            return Ledger.PfnOf(slot);
        }

        var field = _members[slot];
        if (_sources[slot] is not { } source)
        {
            throw new InvalidOperationException($"{Ledger.Owner}.{property} was read, but {field} has never been mapped.");
        }

        source.Sanitizer?.Report(FindingKind.UseAfterUnmap, last, Ledger.Owner + "." + field, property, "read after the out-of-band mapping was unmapped");
        throw new InvalidOperationException($"{Ledger.Owner}.{property} was read after {field} was unmapped (use after unmap of {last}).");
    }

    /// <summary>Releases every live pin once; returns how many it released.</summary>
    public int UnmapAll()
    {
        var released = 0;
        for (var slot = 0; slot < _sources.Length; slot++)
        {
            released += Unmap(slot) ? 1 : 0;
        }

        return released;
    }

    /// <summary>
    /// Reports every live pin as <see cref="FindingKind.PinLeakedAtTeardown"/> to the sanitizer of a source that
    /// pinned one, under <paramref name="operation"/>; returns how many leaked. Releasing them is the caller's next step.
    /// </summary>
    public int ReportLeaks(string operation) => Ledger.ReportLeaks(LeakSanitizer(), operation);

    private MmuSanitizer? LeakSanitizer()
    {
        // An owner's mappings come from one VM in practice; the first live pin's source speaks for all.
        for (var slot = 0; slot < _sources.Length; slot++)
        {
            if (Ledger.IsLive(slot))
            {
                return _sources[slot]!.Sanitizer;
            }
        }

        return null;
    }
}
