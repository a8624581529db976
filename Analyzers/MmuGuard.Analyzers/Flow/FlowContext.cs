using Microsoft.CodeAnalysis.FlowAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// How control reached a block, for blocks of finally regions: on a normal path, on an exception path, or while
/// leaving through finally regions along one branch (a <c>return</c> inside a <c>lock</c>, the end of a <c>using</c>).
/// A finally block is analysed once per context, so what one path carries never flows out along another path's exit.
/// </summary>
internal sealed class FlowContext
{
    public static readonly FlowContext Normal = new(FlowContextKind.Normal, branch: null, outer: null);
    public static readonly FlowContext Exceptional = new(FlowContextKind.Exceptional, branch: null, outer: null);

    private FlowContext(FlowContextKind kind, ControlFlowBranch? branch, FlowContext? outer)
    {
        Kind = kind;
        Branch = branch;
        Outer = outer;
    }

    public FlowContextKind Kind { get; }

    /// <summary>For <see cref="FlowContextKind.Leaving"/>: the branch whose finally regions are running.</summary>
    public ControlFlowBranch? Branch { get; }

    /// <summary>For <see cref="FlowContextKind.Leaving"/>: the context to resume at the branch's destination.</summary>
    public FlowContext? Outer { get; }

    /// <summary>Creates a leaving context; callers intern it so each (branch, outer) pair has one instance.</summary>
    public static FlowContext Leaving(ControlFlowBranch branch, FlowContext outer) => new(FlowContextKind.Leaving, branch, outer);
}
