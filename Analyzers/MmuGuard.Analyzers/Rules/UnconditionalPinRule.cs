using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0002: an unconditional pin of a page that may be non-refcounted (the CVE-2021-22543 shape).</summary>
internal sealed class UnconditionalPinRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public UnconditionalPinRule()
        : base(Descriptors.UnconditionalPinOfMaybeNonRefcounted)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.UnconditionalPin && flowEvent.Facts.Has(ValueFacts.MayBeNonRefcounted)
            ? Report(flowEvent, flowEvent.ValueName, flowEvent.TargetName)
            : null;
}
