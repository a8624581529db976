using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Benchmarks;

/// <summary>
/// A stand-in for OwnershipFlowAnalyzer that stops after the contract pre-check, after building the graph of each
/// body that passes it, or after the fixpoint (events computed, never judged nor reported), so flow-profile can time
/// those stages under the analyzer driver itself (lazy operation trees, graph caches) rather than in a hand-made loop.
/// </summary>
#pragma warning disable RS1001, RS1036, RS1041, RS2008 // a benchmark probe, never shipped; it reports nothing
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class FlowStageAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1001, RS1036, RS1041, RS2008
{
#pragma warning disable RS2008
    private static readonly DiagnosticDescriptor Probe = new("PROBE", "probe", "probe", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);
#pragma warning restore RS2008

    private readonly int _stages;

    /// <summary>Runs the first <paramref name="stages"/> stages: 1 pre-check, 2 graphs, 3 fixpoint.</summary>
    public FlowStageAnalyzer(int stages)
    {
        _stages = stages;
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Probe);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (CompilationFlow.Create(start.Compilation) is not { } flow)
            {
                return;
            }

            start.RegisterOperationBlockAction(block =>
            {
                if (_stages >= 3)
                {
                    foreach (var unused in flow.EventsOf(block))
                    {
                    }

                    return;
                }

                foreach (var operation in block.OperationBlocks)
                {
                    var root = operation;
                    while (root.Parent is not null)
                    {
                        root = root.Parent;
                    }

                    if (flow.MentionsContracts(root, block.OwningSymbol as IMethodSymbol) && _stages >= 2)
                    {
                        block.GetControlFlowGraph(operation);
                    }
                }
            });
        });
    }
}
