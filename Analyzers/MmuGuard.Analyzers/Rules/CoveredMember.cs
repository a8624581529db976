using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// A read of a <c>[NotifierCovered]</c> field or property: the PFN it yields holds no reference (the notifier hook,
/// not a pin, keeps the member honest), so a helper that hands it out hands out a borrowed PFN (MMU0016).
/// </summary>
internal static class CoveredMember
{
    public static bool Read(IOperation? value, ContractCache contracts)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value switch
        {
            IFieldReferenceOperation field => contracts.Of(field.Field).Has(Contract.NotifierCovered),
            IPropertyReferenceOperation property => contracts.Of(property.Property).Has(Contract.NotifierCovered),
            _ => false,
        };
    }
}
