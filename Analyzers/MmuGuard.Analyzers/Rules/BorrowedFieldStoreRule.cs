using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0009: a borrowed PFN stored into long-lived storage that no notifier invalidates and that does not own a pin on it.</summary>
internal sealed class BorrowedFieldStoreRule : FlowRule
{
    /// <summary>Creates the rule.</summary>
    public BorrowedFieldStoreRule()
        : base(Descriptors.BorrowedPfnStoredInField)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.StoreToMember
        && flowEvent.Facts.Has(ValueFacts.Borrowed)
        && flowEvent.Facts.Has(ValueFacts.NotPinned)
        && !flowEvent.TargetContract.Has(Contract.NotifierCovered)
            ? Report(flowEvent, flowEvent.ValueName, flowEvent.TargetName)
            : null;
}
