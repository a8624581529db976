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

    /// <summary>Formats as <c>[FreedWhileMapped] pfn 0x1234 (owner) in Free: detail</c>.</summary>
    public override string ToString() => $"[{Kind}] {Pfn} ({Owner}) in {Operation}: {Detail}";
}
