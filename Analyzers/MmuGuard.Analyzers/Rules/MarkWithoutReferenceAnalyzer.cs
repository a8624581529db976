using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0008: a [RequiresPin] operation (marking dirty or accessed, reading through a mapping) on a value that may hold no pin.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MarkWithoutReferenceAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public MarkWithoutReferenceAnalyzer()
        : base(Descriptors.MarkWithoutReference)
    {
    }

    private protected override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.RequirePin && flowEvent.Facts.Has(ValueFacts.NotPinned)
            ? Report(flowEvent, flowEvent.ValueName, flowEvent.TargetName)
            : null;
}
