using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0002: an unconditional pin of a page that may be non-refcounted (the CVE-2021-22543 shape).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnconditionalPinAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public UnconditionalPinAnalyzer()
        : base(Descriptors.UnconditionalPinOfMaybeNonRefcounted)
    {
    }

    private protected override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.UnconditionalPin && flowEvent.Facts.Has(ValueFacts.MayBeNonRefcounted)
            ? Report(flowEvent, flowEvent.ValueName, flowEvent.TargetName)
            : null;
}
