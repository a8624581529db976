using MmuGuard.Physical;

namespace MmuGuard.Mapping;

/// <summary>
/// The typed outcome of mapping a guest page out of band: either the pinned <see cref="Pfn"/>, or the
/// <see cref="PinRefusal"/> that says why the page could not be pinned.
/// </summary>
public readonly record struct MapResult
{
    private MapResult(Pfn pfn, PinRefusal refusal)
    {
        Pfn = pfn;
        Refusal = refusal;
    }

    /// <summary>The pinned frame; meaningful only when <see cref="IsMapped"/>.</summary>
    public Pfn Pfn { get; }

    /// <summary>Why the map was refused, or <see cref="PinRefusal.None"/>.</summary>
    public PinRefusal Refusal { get; }

    /// <summary>Whether the page was pinned and the mapping is live.</summary>
    public bool IsMapped => Refusal == PinRefusal.None;

    /// <summary>A successful map of <paramref name="pfn"/>.</summary>
    public static MapResult Mapped(Pfn pfn) => new(pfn, PinRefusal.None);

    /// <summary>A refused map.</summary>
    public static MapResult Refused(PinRefusal refusal) =>
        refusal == PinRefusal.None
            ? throw new System.ArgumentException("A refusal needs a reason other than PinRefusal.None.", nameof(refusal))
            : new MapResult(default, refusal);

    /// <summary>Formats as <c>mapped pfn 0x..</c> or <c>refused: NotRefcounted</c>.</summary>
    public override string ToString() => IsMapped ? "mapped " + Pfn : "refused: " + Refusal;
}
