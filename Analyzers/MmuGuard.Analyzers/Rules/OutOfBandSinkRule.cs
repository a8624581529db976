using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0001: a value that may hold no pin (borrowed, maybe non-refcounted, a failed try-pin, or one a
/// <c>[NotRefcountedCheck]</c> proved has no refcounted page) reaches an out-of-band sink.
/// </summary>
internal sealed class OutOfBandSinkRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public OutOfBandSinkRule()
        : base(Descriptors.OutOfBandSinkWithoutPin)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.OutOfBandSink && flowEvent.Facts.Has(ValueFacts.NotPinned | ValueFacts.NotRefcounted)
            ? Report(flowEvent, flowEvent.ValueName, flowEvent.TargetName)
            : null;
}
