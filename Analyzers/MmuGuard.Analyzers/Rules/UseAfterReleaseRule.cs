using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0006: a value is mapped, marked, handed over, stored as pinned or pinned again after its pin was released.</summary>
internal sealed class UseAfterReleaseRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public UseAfterReleaseRule()
        : base(Descriptors.UseAfterRelease)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent)
    {
        var isUse = flowEvent.Kind switch
        {
            FlowEventKind.OutOfBandSink or FlowEventKind.CoveredMapping or FlowEventKind.NotifierCoveredSink or FlowEventKind.RequirePin
                or FlowEventKind.OwnershipTransfer or FlowEventKind.UnconditionalPin or FlowEventKind.ReturnAsPinned => true,
            FlowEventKind.StoreToMember => flowEvent.TargetContract.Has(Contract.Pinned),
            _ => false,
        };
        return isUse && flowEvent.Facts.Has(ValueFacts.Released) ? Report(flowEvent, flowEvent.ValueName) : null;
    }
}
