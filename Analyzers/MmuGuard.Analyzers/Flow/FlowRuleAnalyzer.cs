using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The base of the ownership rules MMU0001–MMU0009: registers for bodies, asks the shared <see cref="CompilationFlow"/>
/// for their events, and lets the rule judge each one.
/// </summary>
public abstract class FlowRuleAnalyzer : DiagnosticAnalyzer
{
    private protected FlowRuleAnalyzer(DiagnosticDescriptor rule)
    {
        Rule = rule;
        SupportedDiagnostics = ImmutableArray.Create(rule);
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    private protected DiagnosticDescriptor Rule { get; }

    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var flow = CompilationFlow.For(start.Compilation);
            if (flow is null)
            {
                return;
            }

            start.RegisterOperationBlockAction(block =>
            {
                foreach (var flowEvent in flow.EventsOf(block))
                {
                    if (Judge(flowEvent) is { } diagnostic)
                    {
                        block.ReportDiagnostic(diagnostic);
                    }
                }
            });
        });
    }

    /// <summary>The rule's diagnostic for one event, or <see langword="null"/> when the facts there are fine.</summary>
    private protected abstract Diagnostic? Judge(FlowEvent flowEvent);

    private protected Diagnostic Report(FlowEvent flowEvent, params object[] messageArguments) =>
        Diagnostic.Create(Rule, flowEvent.Location, messageArguments);
}
