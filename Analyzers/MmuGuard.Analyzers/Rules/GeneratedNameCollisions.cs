using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using MmuGuard.Shared;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0015's check: the names the generator will write for one type (from the shared <see cref="MappingNames"/>),
/// compared with each other and with the members the user declared.
/// </summary>
internal static class GeneratedNameCollisions
{
    /// <summary>Reports every generated name that another generated name or a user member already takes.</summary>
    public static void Report(
        System.Action<Diagnostic> report, INamedTypeSymbol type, IReadOnlyList<MappingField> fields, bool disposable)
    {
        var generated = new Dictionary<string, string>(System.StringComparer.Ordinal);
        const string PerType = "written for every type with generated mappings";
        generated[MappingNames.UnmapAll] = PerType;
        generated[MappingNames.PinLedger] = PerType;
        generated[MappingNames.Teardown] = PerType;
        if (disposable)
        {
            generated[MappingNames.Dispose] = "written for [MappingBookkeeping(Disposable = true)]";
        }

        foreach (var mapping in fields)
        {
            var stem = MappingNames.StemOf(mapping.Field.Name);
            if (stem.Length == 0 || mapping.OutOfBand == mapping.NotifierCovered || mapping.Field.IsImplicitlyDeclared)
            {
                continue; // reported as MMU0012 / MMU0013; the generator writes nothing for it
            }

            var origin = "for mapping '" + mapping.Field.Name + "'";
            var names = mapping.OutOfBand ? MappingNames.PinnedMembers(stem) : MappingNames.CoveredMembers(stem);
            foreach (var name in names)
            {
                if (generated.TryGetValue(name, out var earlier))
                {
                    report(Collision(mapping.Field, name, origin, "the member " + earlier));
                    continue;
                }

                generated[name] = origin;
            }
        }

        foreach (var member in type.GetMembers())
        {
            // Members the generator wrote live in generated code, where the driver drops diagnostics (generated code is
            // not analyzed), so only user-written members are reported.
            if (!member.IsImplicitlyDeclared && generated.TryGetValue(member.Name, out var origin))
            {
                report(Collision(member, member.Name, origin, "member '" + member.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'"));
            }
        }
    }

    private static Diagnostic Collision(ISymbol at, string name, string origin, string taker) =>
        Diagnostic.Create(
            Descriptors.MappingNameCollision,
            at.Locations.IsDefaultOrEmpty ? Location.None : at.Locations[0],
            name,
            origin,
            taker);
}
