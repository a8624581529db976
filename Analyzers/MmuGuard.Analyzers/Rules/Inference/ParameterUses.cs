using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>
/// The parameters worth asking the flow about: unannotated, passed by value, used directly where a contract acts
/// (an annotated argument or receiver, a store, a copy, a return), and never captured by a lambda or local function
/// (when those run is not known, so nothing they do proves a contract).
/// </summary>
internal static class ParameterUses
{
    public static ImmutableArray<IParameterSymbol> Candidates(IOperation body, IMethodSymbol method, ContractCache contracts)
    {
        var used = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        var captured = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<(IOperation Operation, bool Nested)>();
        pending.Push((body, false));
        while (pending.Count > 0)
        {
            var (operation, nested) = pending.Pop();
            switch (operation)
            {
                case IParameterReferenceOperation reference when nested:
                    captured.Add(reference.Parameter);
                    break;
                case IParameterReferenceOperation reference when IsContractUse(reference, contracts):
                    used.Add(reference.Parameter);
                    break;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    nested = true;
                    break;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push((child, nested));
            }
        }

        var candidates = ImmutableArray.CreateBuilder<IParameterSymbol>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind is RefKind.None or RefKind.In
                && used.Contains(parameter)
                && !captured.Contains(parameter)
                && contracts.Of(parameter) == Contract.None)
            {
                candidates.Add(parameter);
            }
        }

        return candidates.ToImmutable();
    }

    private static bool IsContractUse(IParameterReferenceOperation reference, ContractCache contracts)
    {
        var use = reference.Parent is IConversionOperation { IsImplicit: true } conversion ? conversion : (IOperation)reference;
        return use.Parent switch
        {
            IArgumentOperation argument => contracts.Of(argument.Parameter) != Contract.None,
            IInvocationOperation invocation => invocation.Instance == use && contracts.Of(invocation.TargetMethod).Has(Contract.ReceiverForms),
            IPropertyReferenceOperation property => property.Instance == use && contracts.Of(property.Property).Has(Contract.RequiresPin),
            ISimpleAssignmentOperation assignment => assignment.Value == use,
            IVariableInitializerOperation or IReturnOperation => true,
            _ => false,
        };
    }
}
