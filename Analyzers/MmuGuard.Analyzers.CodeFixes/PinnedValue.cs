using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>A local or parameter that holds a pin, with its type.</summary>
internal readonly struct PinnedValue
{
    public PinnedValue(ISymbol symbol, ITypeSymbol type)
    {
        Symbol = symbol;
        Type = type;
    }

    public ISymbol Symbol { get; }

    public ITypeSymbol Type { get; }

    public static PinnedValue? Of(ISymbol? symbol) => symbol switch
    {
        ILocalSymbol local => new PinnedValue(local, local.Type),
        IParameterSymbol parameter => new PinnedValue(parameter, parameter.Type),
        _ => null,
    };

    public bool Is(ISymbol? other) => SymbolEqualityComparer.Default.Equals(Symbol, other);
}
