using System;

namespace MmuGuard.Physical;

/// <summary>A host page frame number: names one 4 KiB host physical frame, whether or not it has a page descriptor.</summary>
/// <param name="Value">The frame number (physical address shifted right by 12).</param>
public readonly record struct Pfn(ulong Value) : IComparable<Pfn>
{
    /// <summary>The frame <paramref name="count"/> frames after this one.</summary>
    public Pfn Add(ulong count) => new(checked(Value + count));

    /// <inheritdoc />
    public int CompareTo(Pfn other) => Value.CompareTo(other.Value);

    /// <summary>Formats as <c>pfn 0x1a2b</c>, the form every report uses.</summary>
    public override string ToString() => "pfn 0x" + Value.ToString("x");
}
