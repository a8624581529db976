using MmuGuard.Physical;

namespace MmuGuard.Mapping;

/// <summary>One live pin in a <see cref="PinLedger"/>: which member holds which frame, and since where.</summary>
/// <param name="Owner">The owning object's type name.</param>
/// <param name="Member">The mapping member that holds the pin.</param>
/// <param name="Pfn">The pinned frame.</param>
/// <param name="Site">The call site that mapped it, as <c>member (file:line)</c>.</param>
public sealed record PinLedgerEntry(string Owner, string Member, Pfn Pfn, string Site)
{
    /// <summary>Formats as <c>Owner.Member holds pfn 0x.. since Site</c>.</summary>
    public override string ToString() => $"{Owner}.{Member} holds {Pfn} since {Site}";
}
