using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0017: a body the flow analysis gave up on, so the ownership rules are silent about it for that reason only.</summary>
internal sealed class BodyNotAnalysedRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public BodyNotAnalysedRule()
        : base(Descriptors.BodyNotAnalysed)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.BodyNotAnalysed ? Report(flowEvent, flowEvent.ValueName) : null;
}
