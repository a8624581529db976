using System.Collections.Immutable;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The exception-handling shape of one control-flow graph: where an exception raised in a block goes first (its
/// innermost catch, entered normally, or finally, entered on an exception path).
/// </summary>
internal sealed class RegionMap
{
    private readonly ImmutableArray<FlowTarget>[] _blockHandlers;

    public RegionMap(ControlFlowGraph graph)
    {
        var blocks = graph.Blocks;
        _blockHandlers = new ImmutableArray<FlowTarget>[blocks.Length];
        foreach (var block in blocks)
        {
            _blockHandlers[block.Ordinal] = HandlersFrom(block.EnclosingRegion, stopAtFinally: true);
        }
    }

    /// <summary>Where an exception raised in block <paramref name="ordinal"/> is handled first (empty: it leaves the body).</summary>
    public ImmutableArray<FlowTarget> HandlersOf(int ordinal) => _blockHandlers[ordinal];

    /// <summary>Where an exception leaving finally region <paramref name="finallyRegion"/> goes next.</summary>
    public static ImmutableArray<FlowTarget> HandlersAfterFinally(ControlFlowRegion finallyRegion) =>
        HandlersFrom(finallyRegion.EnclosingRegion?.EnclosingRegion, stopAtFinally: false);

    /// <summary>The finally region whose end <paramref name="block"/> is.</summary>
    public static ControlFlowRegion? EnclosingFinally(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Finally)
            {
                return region;
            }
        }

        return null;
    }

    /// <summary>
    /// The first handlers outward of <paramref name="start"/>. With <paramref name="stopAtFinally"/> (an exception
    /// the code of a block raises), the walk ends at a finally region: an exception thrown by cleanup code itself
    /// is not followed out of it, or every release in a finally (and every <c>using</c>) inside a try/catch would
    /// reach the catch before the release ran and be reported as a leak.
    /// </summary>
    private static ImmutableArray<FlowTarget> HandlersFrom(ControlFlowRegion? start, bool stopAtFinally)
    {
        for (var region = start; region is not null; region = region.EnclosingRegion)
        {
            if (stopAtFinally && region.Kind == ControlFlowRegionKind.Finally)
            {
                return ImmutableArray<FlowTarget>.Empty;
            }

            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } parent)
            {
                continue;
            }

            if (parent.Kind == ControlFlowRegionKind.TryAndFinally && parent.NestedRegions.Length > 1)
            {
                return ImmutableArray.Create(new FlowTarget(parent.NestedRegions[1].FirstBlockOrdinal, FlowContext.Exceptional));
            }

            if (parent.Kind == ControlFlowRegionKind.TryAndCatch)
            {
                var handlers = ImmutableArray.CreateBuilder<FlowTarget>();
                for (var i = 1; i < parent.NestedRegions.Length; i++)
                {
                    handlers.Add(new FlowTarget(parent.NestedRegions[i].FirstBlockOrdinal, FlowContext.Normal));
                }

                return handlers.ToImmutable();
            }
        }

        return ImmutableArray<FlowTarget>.Empty;
    }
}
