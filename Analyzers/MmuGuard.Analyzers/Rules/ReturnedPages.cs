using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// What one method body returns, for MMU0016: <see cref="Contract.ReturnPinned"/> when every <c>return</c> is a
/// pinned-returning call (or a never-reassigned local initialised by one), <see cref="Contract.ReturnBorrowed"/>
/// likewise for borrowed (a read of a <c>[NotifierCovered]</c> member counts as borrowed), <see cref="Contract.None"/> otherwise. Deliberately syntactic-simple: anything else
/// (a branch that returns a field, a conversion, a reassigned local) is not "plainly" a pinned page.
/// </summary>
internal sealed class ReturnedPages
{
    private readonly List<IReturnOperation> _returns = new();
    private readonly Dictionary<ILocalSymbol, IOperation?> _initializers = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> _written = new(SymbolEqualityComparer.Default);

    private ReturnedPages()
    {
    }

    public static Contract Classify(IOperation body, ContractCache contracts)
    {
        var pages = new ReturnedPages();
        pages.Visit(body);
        if (pages._returns.Count == 0)
        {
            return Contract.None;
        }

        var common = Contract.ReturnPinned | Contract.ReturnBorrowed;
        foreach (var returnOperation in pages._returns)
        {
            common &= pages.SourceOf(returnOperation.ReturnedValue, contracts);
            if (common == Contract.None)
            {
                return Contract.None;
            }
        }

        // Both bits left only if a callee claims both, which MMU0010 reports; suggest nothing then.
        return common == (Contract.ReturnPinned | Contract.ReturnBorrowed) ? Contract.None : common;
    }

    private Contract SourceOf(IOperation? value, ContractCache contracts)
    {
        if (value is ILocalReferenceOperation local)
        {
            if (_written.Contains(local.Local) || !_initializers.TryGetValue(local.Local, out var initializer))
            {
                return Contract.None;
            }

            value = initializer;
        }

        if (contracts.ReadsMemberWith(value, Contract.NotifierCovered))
        {
            return Contract.ReturnBorrowed;
        }

        return value is IInvocationOperation invocation
            ? contracts.Of(invocation.TargetMethod) & (Contract.ReturnPinned | Contract.ReturnBorrowed)
            : Contract.None;
    }

    // An explicit stack: a long `&&` chain or else-if ladder nests thousands of operations deep, and the analyzer
    // runs on threads with 1 MB stacks.
    private void Visit(IOperation body)
    {
        var pending = new Stack<(IOperation Operation, bool InsideNestedFunction)>();
        pending.Push((body, false));
        while (pending.Count > 0)
        {
            var (operation, insideNestedFunction) = pending.Pop();
            switch (operation)
            {
                case IReturnOperation { Kind: OperationKind.Return } returnOperation when !insideNestedFunction:
                    _returns.Add(returnOperation);
                    break;
                case IVariableDeclaratorOperation declarator:
                    // A local declared twice (impossible in C#) or declared without initializer is never "holding" a page.
                    _initializers[declarator.Symbol] = declarator.Initializer?.Value;
                    break;
                case ILocalReferenceOperation reference when IsWrite(reference):
                    _written.Add(reference.Local);
                    break;
                case ILocalFunctionOperation or IAnonymousFunctionOperation:
                    insideNestedFunction = true;
                    break;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push((child, insideNestedFunction));
            }
        }
    }

    private static bool IsWrite(ILocalReferenceOperation reference) => reference.Parent switch
    {
        IAssignmentOperation assignment => assignment.Target == reference,
        IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
        IIncrementOrDecrementOperation or IAddressOfOperation or ITupleOperation => true,
        _ => reference.IsDeclaration,
    };
}
