using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0001: a value that may hold no pin (borrowed, maybe non-refcounted, a failed try-pin) reaches an out-of-band sink.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OutOfBandSinkAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public OutOfBandSinkAnalyzer()
        : base(Descriptors.OutOfBandSinkWithoutPin)
    {
    }

    private protected override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.OutOfBandSink && flowEvent.Facts.Has(ValueFacts.NotPinned)
            ? Report(flowEvent, flowEvent.ValueName, flowEvent.TargetName)
            : null;
}
