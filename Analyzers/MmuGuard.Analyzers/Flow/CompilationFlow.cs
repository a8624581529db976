using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The flow analysis of one compilation, shared by the nine rule analyzers: contracts are read once per symbol and
/// each body is analysed once, whichever rule asks first; the others reuse its events.
/// </summary>
/// <remarks>
/// The analyzer host runs every analyzer of a compilation on the same <see cref="Compilation"/> object, so a weak
/// table keyed by it is the one place the rules can meet without storing per-compilation data in analyzer fields
/// (RS1008). Entries die with the compilation.
/// </remarks>
internal sealed class CompilationFlow
{
    private static readonly ConditionalWeakTable<Compilation, CompilationFlow> Flows = new();

    private readonly ConcurrentDictionary<(SyntaxTree Tree, TextSpan Span, OperationKind Kind), Lazy<ImmutableArray<FlowEvent>>> _bodies = new();

    private CompilationFlow(KnownSymbols? known)
    {
        Contracts = known is null ? null : new ContractCache(known);
    }

    /// <summary>The contracts of this compilation, or <see langword="null"/> when it does not see the attributes.</summary>
    public ContractCache? Contracts { get; }

    /// <summary>The shared flow of <paramref name="compilation"/>, or <see langword="null"/> when it does not use MmuGuard.</summary>
    public static CompilationFlow? For(Compilation compilation)
    {
        var flow = Flows.GetValue(compilation, static c => new CompilationFlow(KnownSymbols.TryCreate(c)));
        return flow.Contracts is null ? null : flow;
    }

    /// <summary>The events of every body in one operation-block callback, computed on first request.</summary>
    public IEnumerable<FlowEvent> EventsOf(OperationBlockAnalysisContext context)
    {
        var function = context.OwningSymbol as IMethodSymbol;
        IOperation? previousRoot = null;
        foreach (var block in context.OperationBlocks)
        {
            // The callback hands out the blocks under a method body; the graph is built for (and keyed by) the body.
            var root = block;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (ReferenceEquals(root, previousRoot) || !IsBodyRoot(root))
            {
                continue;
            }

            previousRoot = root;
            foreach (var flowEvent in EventsOf(root, block, function, context.GetControlFlowGraph, context.CancellationToken))
            {
                yield return flowEvent;
            }
        }
    }

    private ImmutableArray<FlowEvent> EventsOf(IOperation body, IOperation block, IMethodSymbol? function, Func<IOperation, ControlFlowGraph> graphOf, CancellationToken cancellationToken)
    {
        var key = (body.Syntax.SyntaxTree, body.Syntax.Span, body.Kind);
        if (_bodies.TryGetValue(key, out var known) && known.IsValueCreated)
        {
            return known.Value;
        }

        if (!MentionsContracts(body, function))
        {
            // Remember the quick "nothing here" too, so the other eight rules skip even the pre-check.
            return _bodies.GetOrAdd(key, static _ => new Lazy<ImmutableArray<FlowEvent>>(() => ImmutableArray<FlowEvent>.Empty)).Value;
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var lazy = _bodies.GetOrAdd(
                key,
                _ => new Lazy<ImmutableArray<FlowEvent>>(() => Analyse(block, function, graphOf, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
            try
            {
                return lazy.Value;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Another rule's callback was cancelled while computing this body; drop its result and compute again.
                ((ICollection<KeyValuePair<(SyntaxTree, TextSpan, OperationKind), Lazy<ImmutableArray<FlowEvent>>>>)_bodies)
                    .Remove(new KeyValuePair<(SyntaxTree, TextSpan, OperationKind), Lazy<ImmutableArray<FlowEvent>>>(key, lazy));
            }
        }

        return Analyse(block, function, graphOf, cancellationToken);
    }

    private ImmutableArray<FlowEvent> Analyse(IOperation block, IMethodSymbol? function, Func<IOperation, ControlFlowGraph> graphOf, CancellationToken cancellationToken)
    {
        var sink = new FlowEventSink();
        FunctionFlowAnalysis.Run(Contracts!, graphOf(block), function, sink, cancellationToken);
        return sink.ToImmutable();
    }

    /// <summary>The operation kinds a control-flow graph can be built from.</summary>
    private static bool IsBodyRoot(IOperation operation) =>
        operation.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
            or OperationKind.FieldInitializer or OperationKind.PropertyInitializer;

    /// <summary>A cheap pre-check: a body that touches no annotated symbol has nothing to analyse.</summary>
    private bool MentionsContracts(IOperation body, IMethodSymbol? function)
    {
        var contracts = Contracts!;
        if (function is not null)
        {
            foreach (var parameter in function.Parameters)
            {
                if (contracts.Of(parameter) != Contract.None)
                {
                    return true;
                }
            }
        }

        foreach (var operation in body.DescendantsAndSelf())
        {
            var symbol = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                IMemberReferenceOperation member => member.Member,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (symbol is not null && contracts.Of(symbol) != Contract.None)
            {
                return true;
            }
        }

        return false;
    }
}
