using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The last block of one graph from which each local, parameter and flow capture may still be read, so states
/// flowing past it drop the value: a body of 7,500 sequential pins then carries a handful of values per block
/// instead of all of them. Conservative by block ordinal: the last block that mentions the variable, extended to the
/// end of every loop (backward branch, including one that leaves through finally regions) that contains it.
/// </summary>
internal sealed class Liveness
{
    private readonly Dictionary<AccessPath, int> _lastLive = new();
    private Dictionary<AccessPath, ValueFacts>? _settled;

    public Liveness(ControlFlowGraph graph)
    {
        var blocks = graph.Blocks;
        foreach (var block in blocks)
        {
            foreach (var operation in block.Operations)
            {
                NoteUses(operation, block.Ordinal);
            }

            if (block.BranchValue is { } branchValue)
            {
                NoteUses(branchValue, block.Ordinal);
            }
        }

        var loopEnd = LoopEnds(blocks);
        var keys = new List<AccessPath>(_lastLive.Keys);
        foreach (var key in keys)
        {
            var last = _lastLive[key];
            while (loopEnd[last] > last)
            {
                last = loopEnd[last];
            }

            _lastLive[key] = last;
        }
    }

    /// <summary>
    /// Whether a state entering block <paramref name="ordinal"/> may forget <paramref name="key"/>: a path whose
    /// root is a local, parameter or capture no block from here on reads or writes. Fields are never dead (another
    /// method reads them).
    /// </summary>
    public bool IsDead(AccessPath key, int ordinal) =>
        (key.IsCapture || key.RootSymbol is ILocalSymbol or IParameterSymbol)
        && (!_lastLive.TryGetValue(key.Root, out var last) || last < ordinal);

    /// <summary>
    /// Remembers that a dead value was dropped while it was released or handed over on that path. A pin still owned
    /// on another path then still reports, at the end of the body, that some path released or handed it over: the
    /// leak fix relies on that fact, and dropping the value must not erase it. Body-wide, so it may also carry the
    /// history of an earlier value of the same variable (the fix is then withheld, never made wrong).
    /// </summary>
    public void NoteDropped(AccessPath key, ValueFacts facts)
    {
        var settled = facts & (ValueFacts.Released | ValueFacts.Escaped);
        if (settled == ValueFacts.None)
        {
            return;
        }

        _settled ??= new Dictionary<AccessPath, ValueFacts>();
        _settled[key] = _settled.TryGetValue(key, out var known) ? known | settled : settled;
    }

    /// <summary>The release and hand-over facts of <paramref name="key"/> on paths where it was dropped as dead.</summary>
    public ValueFacts SettledWhenDropped(AccessPath key) =>
        _settled is not null && _settled.TryGetValue(key, out var settled) ? settled : ValueFacts.None;

    private void NoteUses(IOperation root, int ordinal)
    {
        foreach (var operation in OperationWalk.PreOrder(root))
        {
            AccessPath? key = operation switch
            {
                ILocalReferenceOperation local => AccessPath.Of(local.Local),
                IParameterReferenceOperation parameter => AccessPath.Of(parameter.Parameter),
                IFlowCaptureReferenceOperation reference => AccessPath.Of(reference.Id),
                IFlowCaptureOperation capture => AccessPath.Of(capture.Id),
                _ => null,
            };
            if (key is { } path && (!_lastLive.TryGetValue(path, out var last) || last < ordinal))
            {
                _lastLive[path] = ordinal;
            }
        }
    }

    /// <summary>For each block, the last block of the furthest-reaching backward branch whose loop contains it.</summary>
    private static int[] LoopEnds(System.Collections.Immutable.ImmutableArray<BasicBlock> blocks)
    {
        var loopEnd = new int[blocks.Length];
        foreach (var block in blocks)
        {
            MarkLoop(block.ConditionalSuccessor, block.Ordinal, loopEnd);
            MarkLoop(block.FallThroughSuccessor, block.Ordinal, loopEnd);
        }

        return loopEnd;
    }

    private static void MarkLoop(ControlFlowBranch? branch, int source, int[] loopEnd)
    {
        if (branch?.Destination is not { } destination || (uint)destination.Ordinal >= (uint)loopEnd.Length)
        {
            return;
        }

        // A branch that leaves through finally regions runs them before it arrives: its loop ends after them.
        var end = source;
        foreach (var finallyRegion in branch.FinallyRegions)
        {
            end = System.Math.Max(end, finallyRegion.LastBlockOrdinal);
        }

        end = System.Math.Min(end, loopEnd.Length - 1);
        for (var ordinal = destination.Ordinal; ordinal <= end; ordinal++)
        {
            loopEnd[ordinal] = System.Math.Max(loopEnd[ordinal], end);
        }
    }
}
