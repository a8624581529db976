using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Shared;

/// <summary>One reason the generator does not serve an owner: where it is, and the arguments of its rule's message.</summary>
/// <param name="Kind">The problem, which names the rule that reports it.</param>
/// <param name="Location">Where the diagnostic goes.</param>
/// <param name="Arguments">The message arguments of the rule <paramref name="Kind"/> maps to, in order.</param>
internal sealed record MappingProblem(MappingProblemKind Kind, Location Location, IReadOnlyList<string> Arguments)
{
    public MappingProblem(MappingProblemKind kind, Location location, params string[] arguments)
        : this(kind, location, (IReadOnlyList<string>)arguments)
    {
    }

    /// <summary>The first source location of <paramref name="symbol"/>, or none for a symbol that has no source.</summary>
    public static Location LocationOf(ISymbol symbol) =>
        symbol.Locations.IsDefaultOrEmpty ? Location.None : symbol.Locations[0];
}
