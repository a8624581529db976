using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0005: a pin owned by the body is neither released, handed to an owner nor returned as pinned on some path.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PinLeakAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public PinLeakAnalyzer()
        : base(Descriptors.PinLeak)
    {
    }

    private protected override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.ObligationEnds && flowEvent.Facts.Has(ValueFacts.Owned)
            ? Report(flowEvent, flowEvent.ValueName)
            : null;
}
