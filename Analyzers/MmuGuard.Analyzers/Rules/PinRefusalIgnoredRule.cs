using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0003: the bool result of a try-pin or out-of-band map, which carries the "cannot pin" outcome, is discarded.</summary>
internal sealed class PinRefusalIgnoredRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public PinRefusalIgnoredRule()
        : base(Descriptors.PinRefusalIgnored)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.PinOutcomeDiscarded
            ? Report(flowEvent, flowEvent.TargetName)
            : null;
}
