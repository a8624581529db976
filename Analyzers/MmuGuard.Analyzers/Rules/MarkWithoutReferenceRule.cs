using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0008: a [RequiresPin] operation (marking dirty or accessed, reading through a mapping) on a value that may hold no pin.</summary>
internal sealed class MarkWithoutReferenceRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public MarkWithoutReferenceRule()
        : base(Descriptors.MarkWithoutReference)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.RequirePin && flowEvent.Facts.Has(ValueFacts.NotPinned)
            ? Report(flowEvent, flowEvent.ValueName, flowEvent.TargetName)
            : null;
}
