using System;

namespace MmuGuard.Host;

/// <summary>A host (userspace) virtual address in a simulated process address space.</summary>
/// <param name="Value">The byte address.</param>
public readonly record struct HostVirtualAddress(ulong Value) : IComparable<HostVirtualAddress>
{
    /// <summary>Bytes in a host page.</summary>
    public const ulong PageSize = 4096;

    /// <summary>The address of the start of host page <paramref name="pageNumber"/>.</summary>
    public static HostVirtualAddress FromPage(ulong pageNumber) => new(checked(pageNumber * PageSize));

    /// <summary>The host page the address falls in.</summary>
    public ulong PageNumber => Value / PageSize;

    /// <summary>Whether the address is the start of a page.</summary>
    public bool IsPageAligned => Value % PageSize == 0;

    /// <summary>The address <paramref name="pages"/> pages further on.</summary>
    public HostVirtualAddress AddPages(ulong pages) => new(checked(Value + (pages * PageSize)));

    /// <inheritdoc />
    public int CompareTo(HostVirtualAddress other) => Value.CompareTo(other.Value);

    /// <summary>Formats as <c>hva 0x7f00..</c>.</summary>
    public override string ToString() => "hva 0x" + Value.ToString("x");
}
