using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Shared;

/// <summary>
/// MMU0015's check: every name the generator will write for one owner, public and private (from
/// <see cref="MappingNames"/>), compared with each other, with the members the user declared, with the owner's own
/// name (CS0542), with the members it inherits (hiding warnings), and with an explicit implementation of the covered
/// owner interface the generator writes.
/// </summary>
internal static class GeneratedNameCollisions
{
    private const string PerType = "written for every type with generated mappings";

    public static void Add(
        INamedTypeSymbol owner, IReadOnlyList<MarkedMappingField> fields, bool disposable, List<MappingProblem> problems)
    {
        var generated = NamesOf(fields, disposable, problems);

        foreach (var member in owner.GetMembers())
        {
            // Members the generator wrote live in generated code, where the driver drops diagnostics, and the
            // generator itself never sees them, so only user-written members count.
            if (member.IsImplicitlyDeclared)
            {
                continue;
            }

            if (generated.TryGetValue(member.Name, out var origin))
            {
                problems.Add(Collision(member, member.Name, origin, "member '" + Display(member) + "'"));
            }
            else if (HasCoveredMapping(fields) && ImplementsCoveredOwnerInvalidation(member))
            {
                problems.Add(Collision(
                    member,
                    "INotifierCoveredMappingOwner." + MappingNames.InvalidateCoveredMapping,
                    "written for every type with notifier-covered mappings",
                    "member '" + Display(member) + "'"));
            }
        }

        if (generated.TryGetValue(owner.Name, out var ownerOrigin))
        {
            problems.Add(Collision(owner, owner.Name, ownerOrigin, "the name of type '" + owner.Name + "' itself, which its members cannot share"));
        }

        AddInherited(owner, generated, problems);
    }

    /// <summary>The generated names and whom each is written for; a repeat within them is itself a collision.</summary>
    private static Dictionary<string, string> NamesOf(
        IReadOnlyList<MarkedMappingField> fields, bool disposable, List<MappingProblem> problems)
    {
        var generated = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var name in MappingNames.PerTypeMembers())
        {
            generated[name] = PerType;
        }

        foreach (var name in MappingNames.PrivateMembers(HasCoveredMapping(fields)))
        {
            generated[name] = "a private member " + PerType;
        }

        if (disposable)
        {
            generated[MappingNames.Dispose] = "written for [MappingBookkeeping(Disposable = true)]";
        }

        foreach (var mapping in fields)
        {
            if (mapping.Field.IsImplicitlyDeclared)
            {
                continue; // reported as MMU0012; the generator writes nothing for it
            }

            var origin = "for mapping '" + mapping.Field.Name + "'";
            foreach (var name in mapping.GeneratedNames())
            {
                if (generated.TryGetValue(name, out var earlier))
                {
                    problems.Add(Collision(mapping.Field, name, origin, "the member " + earlier));
                    continue;
                }

                generated[name] = origin;
            }
        }

        return generated;
    }

    /// <summary>A generated member would hide an inherited one of the same name (CS0108/CS0114 in generated code).</summary>
    private static void AddInherited(INamedTypeSymbol owner, Dictionary<string, string> generated, List<MappingProblem> problems)
    {
        var reported = new HashSet<string>(System.StringComparer.Ordinal);
        for (var baseType = owner.BaseType; baseType is { SpecialType: not SpecialType.System_Object }; baseType = baseType.BaseType)
        {
            if (MappingOwnerShape.HasMarkedField(baseType))
            {
                return; // an owner deriving from an owner is an unsupported shape (MMU0014)
            }

            foreach (var member in baseType.GetMembers())
            {
                if (member.DeclaredAccessibility != Accessibility.Private
                    && !member.IsImplicitlyDeclared
                    && generated.TryGetValue(member.Name, out var origin)
                    && reported.Add(member.Name))
                {
                    problems.Add(Collision(owner, member.Name, origin, "inherited member '" + Display(member) + "'"));
                }
            }
        }
    }

    private static bool HasCoveredMapping(IReadOnlyList<MarkedMappingField> fields)
    {
        foreach (var mapping in fields)
        {
            if (mapping.NotifierCovered)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ImplementsCoveredOwnerInvalidation(ISymbol member)
    {
        if (member is not IMethodSymbol method)
        {
            return false;
        }

        foreach (var implemented in method.ExplicitInterfaceImplementations)
        {
            if (implemented.Name == MappingNames.InvalidateCoveredMapping
                && implemented.ContainingType.ToDisplayString() == MappingNames.CoveredMappingOwnerInterface)
            {
                return true;
            }
        }

        return false;
    }

    private static string Display(ISymbol member) => member.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    private static MappingProblem Collision(ISymbol at, string name, string origin, string taker) =>
        new(MappingProblemKind.NameCollision, MappingProblem.LocationOf(at), name, origin, taker);
}
