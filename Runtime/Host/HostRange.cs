namespace MmuGuard.Host;

/// <summary>A page-aligned run of host virtual addresses [<see cref="Start"/>, <see cref="End"/>), as an MMU-notifier invalidation names it.</summary>
/// <param name="Start">The first byte.</param>
/// <param name="End">One past the last byte.</param>
public readonly record struct HostRange(HostVirtualAddress Start, HostVirtualAddress End)
{
    /// <summary>The range of <paramref name="pages"/> pages from <paramref name="start"/>.</summary>
    public static HostRange OfPages(HostVirtualAddress start, ulong pages) => new(start, start.AddPages(pages));

    /// <summary>The first page number.</summary>
    public ulong FirstPage => Start.PageNumber;

    /// <summary>One past the last page number.</summary>
    public ulong EndPage => End.PageNumber;

    /// <summary>Whether <paramref name="address"/> lies in the range.</summary>
    public bool Contains(HostVirtualAddress address) => address.Value >= Start.Value && address.Value < End.Value;

    /// <summary>Formats as <c>[hva 0x.., hva 0x..)</c>.</summary>
    public override string ToString() => "[" + Start + ", " + End + ")";
}
