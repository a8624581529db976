using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Physical;

namespace MmuGuard.Runtime.Tests.Infrastructure;

/// <summary>A driver's non-compound block, the PfnMap VMA exposing it, and the guest frame it starts at.</summary>
public sealed record DriverBlock(Pfn First, Vma Bar, Gfn BaseGfn)
{
    /// <summary>The guest frame of block page <paramref name="index"/>.</summary>
    public Gfn GfnOf(ulong index) => BaseGfn.Add(index);

    /// <summary>The host frame of block page <paramref name="index"/>.</summary>
    public Pfn PfnOf(ulong index) => First.Add(index);

    /// <summary>The driver's teardown: zap the VMA (running the notifiers), then free the block.</summary>
    public void TearDown(AddressSpace mm)
    {
        mm.ZapRange(Bar.Start, Bar.PageCount);
        mm.Memory.FreeBlock(First);
    }
}
