using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MmuGuard.Analyzers.Flow;

/// <summary>Looking through implicit and explicit conversions to the value converted, the one way every flow component does it.</summary>
internal static class Conversions
{
    /// <summary>The operand under any number of conversions (<c>(ulong)pfn</c>, a boxing, a lifted nullable).</summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
