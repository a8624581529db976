using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0003: the bool result of a try-pin or out-of-band map, which carries the "cannot pin" outcome, is discarded.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PinRefusalIgnoredAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public PinRefusalIgnoredAnalyzer()
        : base(Descriptors.PinRefusalIgnored)
    {
    }

    private protected override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.PinOutcomeDiscarded
            ? Report(flowEvent, flowEvent.TargetName)
            : null;
}
