using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// What one method body writes into an unannotated <c>out</c> parameter, for MMU0016: <see cref="Contract.Pinned"/>
/// when every write is the result of a <c>[return: Pinned]</c> call or a <c>[Pinned] out</c> argument,
/// <see cref="Contract.Borrowed"/> likewise (or a read of a <c>[NotifierCovered]</c> member, which holds no reference), <see cref="Contract.None"/> otherwise. A body that also reads the
/// parameter (it might release or keep what it wrote) is never classified: C# assigns an <c>out</c> parameter on
/// every path that returns, so "every write" is "every path". A <c>default</c> written on a failure path is no page:
/// it neither counts nor contradicts.
/// </summary>
internal static class OutParameterPages
{
    private const Contract PageSources = Contract.Pinned | Contract.Borrowed;

    public static Contract Classify(IOperation body, IParameterSymbol parameter, ContractCache contracts)
    {
        var common = PageSources;
        var writes = 0;
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IParameterReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            {
                if (IsNoPageWrite(reference))
                {
                    continue;
                }

                writes++;
                common &= WrittenPage(reference, contracts);
                if (common == Contract.None)
                {
                    return Contract.None;
                }
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        // Both bits left only if a callee claims both, which MMU0010 reports; suggest nothing then.
        return writes == 0 || common == PageSources ? Contract.None : common;
    }

    private static Contract WrittenPage(IParameterReferenceOperation reference, ContractCache contracts) => reference.Parent switch
    {
        ISimpleAssignmentOperation assignment when assignment.Target == reference && assignment.Value is IInvocationOperation call =>
            ReturnedPage(contracts.Of(call.TargetMethod)),
        ISimpleAssignmentOperation assignment when assignment.Target == reference && contracts.ReadsMemberWith(assignment.Value, Contract.NotifierCovered) =>
            Contract.Borrowed,
        IArgumentOperation { Parameter: { RefKind: RefKind.Out } callee } => contracts.Of(callee) & PageSources,
        _ => Contract.None,
    };

    /// <summary><c>pfn = default;</c> on a failure path of a try-method writes no page at all, so it neither counts nor contradicts.</summary>
    private static bool IsNoPageWrite(IParameterReferenceOperation reference) =>
        reference.Parent is ISimpleAssignmentOperation assignment
        && assignment.Target == reference
        && assignment.Value is IDefaultValueOperation or IConversionOperation { Operand: IDefaultValueOperation };

    private static Contract ReturnedPage(Contract method) =>
        (method.Has(Contract.ReturnPinned) ? Contract.Pinned : Contract.None)
        | (method.Has(Contract.ReturnBorrowed) ? Contract.Borrowed : Contract.None);
}
