using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Shared;

/// <summary>One reason the generator does not serve an owner: where it is, and the arguments of its rule's message.</summary>
internal sealed class MappingProblem
{
    public MappingProblem(MappingProblemKind kind, Location location, params string[] arguments)
    {
        Kind = kind;
        Location = location;
        Arguments = arguments;
    }

    public MappingProblemKind Kind { get; }

    public Location Location { get; }

    /// <summary>The message arguments of the rule <see cref="Kind"/> maps to, in order.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The first source location of <paramref name="symbol"/>, or none for a symbol that has no source.</summary>
    public static Location LocationOf(ISymbol symbol) =>
        symbol.Locations.IsDefaultOrEmpty ? Location.None : symbol.Locations[0];
}
