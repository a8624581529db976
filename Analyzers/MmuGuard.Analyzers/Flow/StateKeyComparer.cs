using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>Compares flow-state keys: symbols (locals, parameters, fields) by symbol identity, capture ids by value.</summary>
internal sealed class StateKeyComparer : IEqualityComparer<object>
{
    public static readonly StateKeyComparer Instance = new();

    private StateKeyComparer()
    {
    }

    public new bool Equals(object? x, object? y) =>
        x is ISymbol sx && y is ISymbol sy ? SymbolEqualityComparer.Default.Equals(sx, sy) : object.Equals(x, y);

    public int GetHashCode(object obj) =>
        obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
}
