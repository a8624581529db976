using System;

namespace MmuGuard.Guest;

/// <summary>A guest frame number: one 4 KiB frame of guest physical memory, resolved to a host PFN through a memslot.</summary>
/// <param name="Value">The guest frame number (guest physical address shifted right by 12).</param>
public readonly record struct Gfn(ulong Value) : IComparable<Gfn>
{
    /// <summary>The frame <paramref name="count"/> frames after this one.</summary>
    public Gfn Add(ulong count) => new(checked(Value + count));

    /// <inheritdoc />
    public int CompareTo(Gfn other) => Value.CompareTo(other.Value);

    /// <summary>Formats as <c>gfn 0x1a2b</c>.</summary>
    public override string ToString() => "gfn 0x" + Value.ToString("x");
}
