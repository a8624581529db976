using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Bodies;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The flow analysis of one compilation: its contracts, read once per symbol, and the events of each body the host
/// analyzer hands over. Created in the compilation-start action, so it lives exactly as long as that compilation's
/// analysis and nothing is shared through static state.
/// </summary>
internal sealed class CompilationFlow
{
    private CompilationFlow(ContractCache contracts)
    {
        Contracts = contracts;
    }

    /// <summary>The contracts of this compilation.</summary>
    public ContractCache Contracts { get; }

    /// <summary>The flow of <paramref name="compilation"/>, or <see langword="null"/> when it does not see the attributes.</summary>
    public static CompilationFlow? Create(Compilation compilation)
    {
        var shared = CompilationContracts.Of(compilation);
        return shared.Known.SeesAttributes ? new CompilationFlow(shared.Attributes) : null;
    }

    /// <summary>
    /// The flow of <paramref name="compilation"/> with the contracts of its contracts files, or <see langword="null"/>
    /// when it sees neither the attributes nor a contract from a file.
    /// </summary>
    public static CompilationFlow? Create(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var shared = CompilationContracts.Of(compilation);
        var contracts = shared.WithContractsFiles(options, cancellationToken);
        return shared.Known.SeesAttributes || !ReferenceEquals(contracts, shared.Attributes) ? new CompilationFlow(contracts) : null;
    }

    /// <summary>
    /// The events of the body of one code-block callback. The body is bound only when <see cref="ContractBodies"/>
    /// admits it from its syntax (docs/design/bodies.md); the operation-level pre-check then runs as before.
    /// </summary>
    public IEnumerable<FlowEvent> EventsOf(CodeBlockAnalysisContext context)
    {
        var executable = ExecutableCode.Of(context.CodeBlock);
        if (executable.IsEmpty || !Bodies(context.SemanticModel.Compilation, context.CancellationToken).Admits(context.OwningSymbol, context.CodeBlock, executable))
        {
            return Array.Empty<FlowEvent>();
        }

        var blocks = ExecutableCode.Bind(context.SemanticModel, executable, context.CancellationToken);
        var cancellationToken = context.CancellationToken;
        return EventsOf(context.OwningSymbol, blocks, block => ExecutableCode.GraphOf(block, cancellationToken), cancellationToken);
    }

    /// <summary>The contract pre-filter of this flow's contracts in <paramref name="compilation"/>.</summary>
    public ContractBodies Bodies(Compilation compilation, CancellationToken cancellationToken) =>
        ContractBodies.Of(compilation, Contracts, cancellationToken);

    private IEnumerable<FlowEvent> EventsOf(
        ISymbol owningSymbol,
        ImmutableArray<IOperation> blocks,
        Func<IOperation, ControlFlowGraph?> graphOf,
        CancellationToken cancellationToken)
    {
        var function = owningSymbol as IMethodSymbol;
        var seenRoots = new List<IOperation>(1);
        foreach (var block in blocks)
        {
            // The callback hands out the blocks under a method body; the graph is built for the body.
            var root = ExecutableCode.RootOf(block);
            if (!IsBodyRoot(root) || seenRoots.Exists(seen => ReferenceEquals(seen, root)) || !MentionsContracts(root, function))
            {
                continue;
            }

            seenRoots.Add(root);
            if (graphOf(block) is not { } graph)
            {
                continue;
            }

            var sink = new FlowEventSink();
            FunctionFlowAnalysis.Run(Contracts, graph, function, sink, cancellationToken);
            foreach (var flowEvent in sink.ToImmutable())
            {
                yield return flowEvent;
            }
        }
    }

    /// <summary>The operation kinds a control-flow graph can be built from.</summary>
    private static bool IsBodyRoot(IOperation operation) =>
        operation.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
            or OperationKind.FieldInitializer or OperationKind.PropertyInitializer;

    /// <summary>A cheap pre-check: a body that touches no annotated symbol has nothing to analyse.</summary>
    internal bool MentionsContracts(IOperation body, IMethodSymbol? function)
    {
        var contracts = Contracts;
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

        return Mentions(body, contracts);
    }

    // An explicit stack over ChildOperations (a struct enumerator): DescendantsAndSelf allocated iterators on every
    // operation of every body, and this check runs on all bodies, however deep their expressions nest.
    private static bool Mentions(IOperation body, ContractCache contracts)
    {
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
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

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return false;
    }
}
