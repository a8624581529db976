using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Bodies;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Benchmarks;

/// <summary>
/// A stand-in for OwnershipFlowAnalyzer that stops after the contract pre-check, after building the graph of each
/// body that passes it, or after the fixpoint (events computed, never judged nor reported), so flow-profile can time
/// those stages under the analyzer driver itself rather than in a hand-made loop. It takes the host's path (code
/// blocks, the syntax pre-filter, only admitted bodies bound), so the stages compare on a sparse corpus too.
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

            // The host's own path: code blocks, the syntax pre-filter, only admitted bodies bound (docs/design/bodies.md).
            start.RegisterCodeBlockAction(block =>
            {
                if (_stages >= 3)
                {
                    foreach (var unused in flow.EventsOf(block))
                    {
                    }

                    return;
                }

                var executable = ExecutableCode.Of(block.CodeBlock);
                if (executable.IsEmpty || !flow.Bodies(block.SemanticModel.Compilation, block.CancellationToken).Admits(block.OwningSymbol, block.CodeBlock, executable))
                {
                    return;
                }

                foreach (var operation in ExecutableCode.Bind(block.SemanticModel, executable, block.CancellationToken))
                {
                    if (flow.MentionsContracts(ExecutableCode.RootOf(operation), block.OwningSymbol as IMethodSymbol) && _stages >= 2)
                    {
                        ExecutableCode.GraphOf(operation, block.CancellationToken);
                    }
                }
            });
        });
    }
}
