using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>A local or parameter that holds a pin, with its type.</summary>
internal readonly record struct PinnedValue(ISymbol Symbol, ITypeSymbol Type)
{
    public static PinnedValue? Of(ISymbol? symbol) => symbol switch
    {
        ILocalSymbol local => new PinnedValue(local, local.Type),
        IParameterSymbol parameter => new PinnedValue(parameter, parameter.Type),
        _ => null,
    };

    public bool Is(ISymbol? other) => SymbolEqualityComparer.Default.Equals(Symbol, other);
}
