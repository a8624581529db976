using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0009: a borrowed PFN stored into long-lived storage that no notifier invalidates and that does not own a pin on it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BorrowedFieldStoreAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public BorrowedFieldStoreAnalyzer()
        : base(Descriptors.BorrowedPfnStoredInField)
    {
    }

    private protected override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.StoreToMember
        && flowEvent.Facts.Has(ValueFacts.Borrowed)
        && flowEvent.Facts.Has(ValueFacts.NotPinned)
        && !flowEvent.TargetContract.Has(Contract.NotifierCovered)
            ? Report(flowEvent, flowEvent.ValueName, flowEvent.TargetName)
            : null;
}
