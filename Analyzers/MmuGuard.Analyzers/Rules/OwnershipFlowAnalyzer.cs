using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// Hosts the nine ownership rules MMU0001–MMU0009 (and MMU0017, which says when a body was not analysed): runs the flow analysis once per body and lets each rule judge its
/// events, so no body is analysed twice and no state outlives the compilation that created it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OwnershipFlowAnalyzer : DiagnosticAnalyzer
{
    private readonly ImmutableArray<FlowRule> _rules;

    /// <summary>Creates the analyzer with every ownership rule.</summary>
    public OwnershipFlowAnalyzer()
        : this(CreateRules())
    {
    }

    /// <summary>Creates the analyzer with a chosen set of rules (tests verify one rule at a time).</summary>
    internal OwnershipFlowAnalyzer(params FlowRule[] rules)
    {
        _rules = ImmutableArray.Create(rules);
        var descriptors = ImmutableArray.CreateBuilder<DiagnosticDescriptor>(rules.Length);
        foreach (var rule in rules)
        {
            descriptors.Add(rule.Descriptor);
        }

        SupportedDiagnostics = descriptors.MoveToImmutable();
    }

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    /// <summary>A fresh instance of every ownership rule (the inference rules judge hypothetical flows with the same set).</summary>
    internal static FlowRule[] CreateRules() => new FlowRule[]
    {
        new OutOfBandSinkRule(),
        new UnconditionalPinRule(),
        new PinRefusalIgnoredRule(),
        new NotifierSequenceRule(),
        new PinLeakRule(),
        new UseAfterReleaseRule(),
        new UnbalancedReleaseRule(),
        new MarkWithoutReferenceRule(),
        new BorrowedFieldStoreRule(),
        new BodyNotAnalysedRule(),
    };

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var flow = CompilationFlow.Create(start.Compilation, start.Options, start.CancellationToken);
            if (flow is null)
            {
                return;
            }

            // A code-block action, not an operation-block one: the driver then binds no body on its own, and the
            // flow binds only the bodies the syntax pre-filter admits (docs/design/bodies.md).
            start.RegisterCodeBlockAction(block =>
            {
                foreach (var flowEvent in flow.EventsOf(block))
                {
                    foreach (var rule in _rules)
                    {
                        if (rule.Judge(flowEvent) is { } diagnostic)
                        {
                            block.ReportDiagnostic(diagnostic);
                        }
                    }
                }
            });
        });
    }
}
