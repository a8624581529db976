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
    /// <summary>
    /// Visits allowed per reached target (a block in one finally context) before giving up: the facts only grow in a
    /// finite lattice, so the fixpoint comes long before; this only guards against a transfer bug looping forever.
    /// Counted per target, not per block, because a finally nested in finally regions is analysed once per exit.
    /// </summary>
    private const int VisitBudgetPerTarget = 64;

    /// <summary>Visits allowed on top of the per-target budget, for small bodies.</summary>
    private const int VisitAllowance = 1000;

    private readonly ControlFlowGraph _graph;
    private readonly RegionMap _regions;
    private readonly OwnershipTransfer _transfer;
    private readonly Liveness _liveness;
    private readonly ExitLocations _exits;
    private readonly IMethodSymbol? _function;
    private readonly FlowEventSink _sink;
    private readonly Dictionary<FlowTarget, FlowState> _inStates = new();
    private readonly Dictionary<(ControlFlowBranch Branch, FlowContext Outer), FlowContext> _leavingContexts = new();

    private readonly int _visitsPerTarget;
    private readonly int _visitAllowance;

    private FunctionFlowAnalysis(ContractCache contracts, ControlFlowGraph graph, List<IFlowAnonymousFunctionOperation> lambdas, IMethodSymbol? function, FlowEventSink sink, int visitsPerTarget, int visitAllowance)
    {
        _visitsPerTarget = visitsPerTarget;
        _visitAllowance = visitAllowance;
        _graph = graph;
        _regions = new RegionMap(graph);
        _liveness = new Liveness(graph);
        _exits = new ExitLocations(graph);
        _function = function;
        _sink = sink;
        _transfer = new OwnershipTransfer(contracts, function, CapturedSymbols(graph, lambdas), sink, _liveness, new CoveredMappings(graph, contracts));
    }

    /// <summary>Analyses <paramref name="graph"/> and every function nested in it, adding their events to <paramref name="sink"/>.</summary>
    /// <remarks>The visit budget is a parameter only so that tests can exhaust it.</remarks>
    public static void Run(
        ContractCache contracts,
        ControlFlowGraph graph,
        IMethodSymbol? function,
        FlowEventSink sink,
        CancellationToken cancellationToken,
        int visitsPerTarget = VisitBudgetPerTarget,
        int visitAllowance = VisitAllowance)
    {
        var lambdas = NestedLambdas(graph);
        var analysis = new FunctionFlowAnalysis(contracts, graph, lambdas, function, sink, visitsPerTarget, visitAllowance);
        analysis.Analyse(cancellationToken);

        foreach (var lambda in lambdas)
        {
            Run(contracts, graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), lambda.Symbol, sink, cancellationToken, visitsPerTarget, visitAllowance);
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            Run(contracts, graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken), localFunction, sink, cancellationToken, visitsPerTarget, visitAllowance);
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
        var visits = 0;
        while (worklist.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++visits > (_inStates.Count * _visitsPerTarget) + _visitAllowance)
            {
                // Not converging means a transfer bug: judge nothing on half-computed facts, and say so (MMU0017).
                _sink.Add(NotAnalysed());
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
                    _inStates[next] = state.CloneLive(_liveness, next.Ordinal);
                }
                else if (!existing.JoinFrom(state, _liveness, next.Ordinal))
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

        _transfer.ReportExitLeaks();
    }

    private FlowEvent NotAnalysed()
    {
        var syntax = _graph.OriginalOperation.Syntax;
        var location = _function is { MethodKind: not MethodKind.AnonymousFunction } function && !function.Locations.IsEmpty && function.Locations[0].IsInSource
            ? function.Locations[0]
            : syntax.GetLocation();
        var name = _function is { MethodKind: not MethodKind.AnonymousFunction } named ? named.Name : "lambda";
        return new FlowEvent(FlowEventKind.BodyNotAnalysed, ValueFacts.None, location, name, _function, Contract.None);
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
            // Each path was judged on its way in, at the exit it took (ExitLocations).
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
                if (ExitLocations.LeavesBody(branch))
                {
                    _transfer.LeavesBody(_exits.Of(branch), state);
                }

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
                    if (ExitLocations.LeavesBody(leaving))
                    {
                        _transfer.LeavesBody(_exits.Of(leaving), state);
                    }

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

    private static void CollectLambdas(IOperation root, List<IFlowAnonymousFunctionOperation> lambdas)
    {
        foreach (var operation in OperationWalk.PreOrder(root))
        {
            if (operation is IFlowAnonymousFunctionOperation lambda)
            {
                lambdas.Add(lambda);
            }
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

    private static void CollectReferences(IOperation root, HashSet<ISymbol> references)
    {
        foreach (var operation in OperationWalk.PreOrder(root))
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
        }
    }
}
