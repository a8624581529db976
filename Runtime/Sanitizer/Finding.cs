using MmuGuard.Host;
using MmuGuard.Physical;

namespace MmuGuard.Sanitizer;

/// <summary>One ownership bug the sanitizer saw: what happened, to which frame, whose it was and which operation did it.</summary>
/// <param name="Kind">The bug class.</param>
/// <param name="Pfn">The frame concerned.</param>
/// <param name="Owner">Who held or used the frame (a VM, a mapping member, a driver), as a readable name.</param>
/// <param name="Operation">The operation that exposed the bug (e.g. <c>Unpin</c>, <c>Free</c>, <c>Vm.Destroy</c>).</param>
/// <param name="Detail">One sentence a person can act on.</param>
public sealed record Finding(FindingKind Kind, Pfn Pfn, string Owner, string Operation, string Detail)
{
    /// <summary>Whether the finding is a bug, a trusted-unsafe mapping or a note.</summary>
    public FindingSeverity Severity => Kind.Severity();

    /// <summary>Whether the finding is a bug (not a trusted-unsafe mapping or a note).</summary>
    public bool IsBug => Severity == FindingSeverity.Bug;

    /// <summary>
    /// The host range concerned when the finding is about a range rather than a frame
    /// (<see cref="FindingKind.UnmapOfUnmappedRange"/>); <see cref="Pfn"/> is then 0 and means nothing.
    /// </summary>
    public HostRange? Range { get; init; }

    /// <summary>
    /// Formats as <c>[FreedWhileMapped] pfn 0x1234 (owner) in Free: detail</c>, with the range in place of the PFN for
    /// a finding about a range.
    /// </summary>
    public override string ToString() => $"[{Kind}] {(Range is { } range ? range.ToString() : Pfn.ToString())} ({Owner}) in {Operation}: {Detail}";
}
