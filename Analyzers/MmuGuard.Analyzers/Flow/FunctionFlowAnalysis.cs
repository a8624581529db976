using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The fixpoint over one control-flow graph (a method body, a lambda or a local function): states flow along
/// branches, through finally regions and into handlers; when they stop growing, a last pass records the events the
/// rules judge. Lambdas and local functions found on the way are analysed as their own graphs.
/// </summary>
internal sealed class FunctionFlowAnalysis
{
    /// <summary>Visits allowed per block before giving up (a finite lattice converges long before; this only guards bugs).</summary>
    private const int VisitBudgetPerBlock = 64;

    private readonly ControlFlowGraph _graph;
    private readonly RegionMap _regions;
    private readonly OperationTransfer _transfer;
    private readonly Dictionary<FlowTarget, FlowState> _inStates = new();
    private readonly Dictionary<(ControlFlowBranch Branch, FlowContext Outer), FlowContext> _leavingContexts = new();

    private FunctionFlowAnalysis(ContractCache contracts, ControlFlowGraph graph, List<IFlowAnonymousFunctionOperation> lambdas, IMethodSymbol? function, FlowEventSink sink)
    {
        _graph = graph;
        _regions = new RegionMap(graph);
        _transfer = new OperationTransfer(contracts, function, CapturedSymbols(graph, lambdas), sink);
    }

    /// <summary>Analyses <paramref name="graph"/> and every function nested in it, adding their events to <paramref name="sink"/>.</summary>
    public static void Run(ContractCache contracts, ControlFlowGraph graph, IMethodSymbol? function, FlowEventSink sink, CancellationToken cancellationToken)
    {
        var lambdas = NestedLambdas(graph);
        var analysis = new FunctionFlowAnalysis(contracts, graph, lambdas, function, sink);
        analysis.Analyse(cancellationToken);

        foreach (var lambda in lambdas)
        {
            Run(contracts, graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), lambda.Symbol, sink, cancellationToken);
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            Run(contracts, graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken), localFunction, sink, cancellationToken);
        }
    }

    private void Analyse(CancellationToken cancellationToken)
    {
        var blocks = _graph.Blocks;
        var entry = new FlowTarget(blocks[0].Ordinal, FlowContext.Normal);
        _inStates[entry] = _transfer.EntryState();

        var worklist = new Queue<FlowTarget>();
        var queued = new HashSet<FlowTarget> { entry };
        worklist.Enqueue(entry);
        var budget = (blocks.Length * VisitBudgetPerBlock) + 1000;
        while (worklist.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (--budget < 0)
            {
                // Not converging means a transfer bug; report nothing for this body rather than half-baked facts.
                return;
            }

            var target = worklist.Dequeue();
            queued.Remove(target);
            if ((uint)target.Ordinal >= (uint)blocks.Length)
            {
                // Broken code can aim a branch outside this graph; judge nothing here rather than throw.
                return;
            }

            Transfer(blocks[target.Ordinal], target.Context, _inStates[target].Clone(), (next, state) =>
            {
                if (!_inStates.TryGetValue(next, out var existing))
                {
                    _inStates[next] = state.Clone();
                }
                else if (!existing.JoinFrom(state))
                {
                    return;
                }

                if (queued.Add(next))
                {
                    worklist.Enqueue(next);
                }
            });
        }

        // States are at their fixpoint: one more pass over every reached block records the events. Nothing flows
        // between blocks in this pass, so each in-state is read only by its own block and may be used up in place.
        _transfer.Recording = true;
        foreach (var pair in _inStates)
        {
            Transfer(blocks[pair.Key.Ordinal], pair.Key.Context, pair.Value, static (_, _) => { });
        }
    }

    private void Transfer(BasicBlock block, FlowContext context, FlowState state, System.Action<FlowTarget, FlowState> flow)
    {
        var handlers = _regions.HandlersOf(block.Ordinal);
        foreach (var operation in block.Operations)
        {
            FlowToAll(handlers, state, flow);
            _transfer.VisitStatement(operation, state);
        }

        if (block.Kind == BasicBlockKind.Exit)
        {
            _transfer.EndOfBody(state);
            return;
        }

        var branchValue = default(AbstractValue);
        if (block.BranchValue is { } branchOperation)
        {
            FlowToAll(handlers, state, flow);
            branchValue = _transfer.Visit(branchOperation, state);
        }

        if (block.ConditionalSuccessor is { } conditional && block.ConditionKind != ControlFlowConditionKind.None)
        {
            var conditionalEdgeValue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            var conditionalState = state.Clone();
            if (_transfer.Refine(branchValue.Outcome, conditionalEdgeValue, conditionalState))
            {
                FlowAlong(conditional, context, conditionalState, flow);
            }

            if (_transfer.Refine(branchValue.Outcome, !conditionalEdgeValue, state))
            {
                FlowAlong(block.FallThroughSuccessor, context, state, flow);
            }

            return;
        }

        switch (block.FallThroughSuccessor?.Semantics)
        {
            case ControlFlowBranchSemantics.Return:
                _transfer.Return(block.BranchValue, branchValue, state);
                break;
            case ControlFlowBranchSemantics.Throw:
            case ControlFlowBranchSemantics.Rethrow:
                FlowToAll(handlers, state, flow);
                return;
        }

        FlowAlong(block.FallThroughSuccessor, context, state, flow);
    }

    private void FlowAlong(ControlFlowBranch? branch, FlowContext context, FlowState state, System.Action<FlowTarget, FlowState> flow)
    {
        if (branch is null)
        {
            return;
        }

        if (!branch.FinallyRegions.IsEmpty)
        {
            flow(new FlowTarget(branch.FinallyRegions[0].FirstBlockOrdinal, Leaving(branch, context)), state);
            return;
        }

        if (branch.Destination is { } destination)
        {
            // In broken code (a goto out of a lambda, a half-typed body) a branch may name a block of another
            // graph; such a branch leaves this function and is not followed.
            if (Owns(destination))
            {
                flow(new FlowTarget(destination.Ordinal, context), state);
            }

            return;
        }

        if (branch.Semantics != ControlFlowBranchSemantics.StructuredExceptionHandling || RegionMap.EnclosingFinally(branch.Source) is not { } finallyRegion)
        {
            return;
        }

        switch (context.Kind)
        {
            case FlowContextKind.Exceptional:
                FlowToAll(RegionMap.HandlersAfterFinally(finallyRegion), state, flow);
                break;
            case FlowContextKind.Leaving:
                var leaving = context.Branch!;
                var next = leaving.FinallyRegions.IndexOf(finallyRegion) + 1;
                if (next > 0 && next < leaving.FinallyRegions.Length)
                {
                    flow(new FlowTarget(leaving.FinallyRegions[next].FirstBlockOrdinal, context), state);
                }
                else if (leaving.Destination is { } resume && Owns(resume))
                {
                    flow(new FlowTarget(resume.Ordinal, context.Outer!), state);
                }

                break;
        }
    }

    private bool Owns(BasicBlock block) =>
        (uint)block.Ordinal < (uint)_graph.Blocks.Length && ReferenceEquals(_graph.Blocks[block.Ordinal], block);

    private FlowContext Leaving(ControlFlowBranch branch, FlowContext outer)
    {
        if (!_leavingContexts.TryGetValue((branch, outer), out var context))
        {
            context = FlowContext.Leaving(branch, outer);
            _leavingContexts[(branch, outer)] = context;
        }

        return context;
    }

    private static void FlowToAll(ImmutableArray<FlowTarget> targets, FlowState state, System.Action<FlowTarget, FlowState> flow)
    {
        foreach (var target in targets)
        {
            flow(target, state);
        }
    }

    /// <summary>The lambdas of <paramref name="graph"/>, found once: both the captured-symbol scan and the nested runs need them.</summary>
    private static List<IFlowAnonymousFunctionOperation> NestedLambdas(ControlFlowGraph graph)
    {
        var lambdas = new List<IFlowAnonymousFunctionOperation>();
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                CollectLambdas(operation, lambdas);
            }

            if (block.BranchValue is { } branchValue)
            {
                CollectLambdas(branchValue, lambdas);
            }
        }

        return lambdas;
    }

    // Plain recursion over ChildOperations (a struct enumerator) rather than DescendantsAndSelf, whose iterators
    // allocated on every operation of every body.
    private static void CollectLambdas(IOperation operation, List<IFlowAnonymousFunctionOperation> lambdas)
    {
        if (operation is IFlowAnonymousFunctionOperation lambda)
        {
            lambdas.Add(lambda);
        }

        foreach (var child in operation.ChildOperations)
        {
            CollectLambdas(child, lambdas);
        }
    }

    /// <summary>Locals and parameters referenced by a nested lambda or local function: unknown to this body's analysis.</summary>
    private static HashSet<ISymbol> CapturedSymbols(ControlFlowGraph graph, List<IFlowAnonymousFunctionOperation> lambdas)
    {
        var captured = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var lambda in lambdas)
        {
            CollectReferences(graph.GetAnonymousFunctionControlFlowGraph(lambda), captured);
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            CollectReferences(graph.GetLocalFunctionControlFlowGraph(localFunction), captured);
        }

        return captured;
    }

    private static void CollectReferences(ControlFlowGraph graph, HashSet<ISymbol> references)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                CollectReferences(operation, references);
            }

            if (block.BranchValue is { } branchValue)
            {
                CollectReferences(branchValue, references);
            }
        }

        foreach (var lambda in NestedLambdas(graph))
        {
            CollectReferences(graph.GetAnonymousFunctionControlFlowGraph(lambda), references);
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            CollectReferences(graph.GetLocalFunctionControlFlowGraph(localFunction), references);
        }
    }

    private static void CollectReferences(IOperation operation, HashSet<ISymbol> references)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local:
                references.Add(local.Local);
                break;
            case IParameterReferenceOperation parameter:
                references.Add(parameter.Parameter);
                break;
        }

        foreach (var child in operation.ChildOperations)
        {
            CollectReferences(child, references);
        }
    }
}
