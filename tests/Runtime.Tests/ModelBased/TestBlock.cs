using MmuGuard.Physical;

namespace MmuGuard.Runtime.Tests.ModelBased;

/// <summary>The reference model of one block a random run allocated: its first frame, kind, and the extra pins the run holds.</summary>
internal sealed class TestBlock
{
    public TestBlock(Pfn first, int order, AllocationKind kind)
    {
        First = first;
        Order = order;
        Kind = kind;
    }

    public Pfn First { get; }

    public int Order { get; }

    public AllocationKind Kind { get; }

    public int ExtraPins { get; set; }
}
