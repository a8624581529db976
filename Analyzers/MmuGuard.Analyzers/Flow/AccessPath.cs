using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// A storage location the flow state tracks: a root (a local or parameter of the analysed function, a field of
/// <c>this</c> or a static field, or a flow capture of the graph) followed by up to <see cref="MaxMembers"/> field
/// or property accesses (<c>fault.Pfn</c>, <c>this.Cache.Pfn</c>). As roslyn-analyzers' <c>AnalysisEntity</c>, the
/// key is a value: two reads of the same location make equal paths, and the depth bound keeps the set finite.
/// </summary>
internal readonly record struct AccessPath
{
    /// <summary>Member accesses followed below the root; a longer chain is not tracked (its value is unknown).</summary>
    public const int MaxMembers = 2;

    private readonly ISymbol? _symbol;
    private readonly CaptureId _capture;
    private readonly ISymbol? _first;
    private readonly ISymbol? _second;

    private AccessPath(ISymbol? symbol, CaptureId capture, ISymbol? first, ISymbol? second)
    {
        _symbol = symbol;
        _capture = capture;
        _first = first;
        _second = second;
    }

    /// <summary>The root symbol: a local, parameter or field; <see langword="null"/> for a flow-capture root.</summary>
    public ISymbol? RootSymbol => _symbol;

    /// <summary>Whether the root is a flow capture (a compiler temporary of the graph).</summary>
    public bool IsCapture => _symbol is null;

    /// <summary>How many member accesses follow the root.</summary>
    public int MemberCount => _second is not null ? 2 : _first is not null ? 1 : 0;

    /// <summary>A local or parameter on its own: a variable of the function, which a diagnostic can name.</summary>
    public bool IsVariable => MemberCount == 0 && _symbol is ILocalSymbol or IParameterSymbol;

    /// <summary>The symbol this path ends in: the last member, or the root.</summary>
    public ISymbol? LastSymbol => _second ?? _first ?? _symbol;

    /// <summary>The path of the root alone (the variable whose liveness bounds this path's).</summary>
    public AccessPath Root => MemberCount == 0 ? this : new AccessPath(_symbol, _capture, null, null);

    public static AccessPath Of(ISymbol symbol) => new(symbol, default, null, null);

    public static AccessPath Of(CaptureId capture) => new(null, capture, null, null);

    /// <summary>This path followed by <paramref name="member"/>, or <see langword="null"/> past the depth bound.</summary>
    public AccessPath? Member(ISymbol member) =>
        MemberCount switch
        {
            0 => new AccessPath(_symbol, _capture, member, null),
            1 => new AccessPath(_symbol, _capture, _first, member),
            _ => null,
        };

    /// <summary>Whether this path is <paramref name="prefix"/> or reaches a location through it.</summary>
    public bool StartsWith(AccessPath prefix) =>
        prefix.MemberCount <= MemberCount
        && SymbolEqualityComparer.Default.Equals(_symbol, prefix._symbol)
        && _capture.Equals(prefix._capture)
        && (prefix.MemberCount < 1 || SymbolEqualityComparer.Default.Equals(_first, prefix._first))
        && (prefix.MemberCount < 2 || SymbolEqualityComparer.Default.Equals(_second, prefix._second));

    public bool Equals(AccessPath other) =>
        SymbolEqualityComparer.Default.Equals(_symbol, other._symbol)
        && _capture.Equals(other._capture)
        && SymbolEqualityComparer.Default.Equals(_first, other._first)
        && SymbolEqualityComparer.Default.Equals(_second, other._second);

    public override int GetHashCode()
    {
        var hash = _symbol is null ? _capture.GetHashCode() : SymbolEqualityComparer.Default.GetHashCode(_symbol);
        if (_first is not null)
        {
            hash = (hash * 31) + SymbolEqualityComparer.Default.GetHashCode(_first);
        }

        if (_second is not null)
        {
            hash = (hash * 31) + SymbolEqualityComparer.Default.GetHashCode(_second);
        }

        return hash;
    }

    /// <summary>The path as C# would write it (<c>fault.Pfn</c>); diagnostics name values by it.</summary>
    public override string ToString()
    {
        var root = _symbol?.Name ?? "capture";
        return _second is not null ? $"{root}.{_first!.Name}.{_second.Name}"
            : _first is not null ? $"{root}.{_first.Name}"
            : root;
    }
}
