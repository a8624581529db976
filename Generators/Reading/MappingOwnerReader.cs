using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using MmuGuard.Generators.Model;
using MmuGuard.Shared;

namespace MmuGuard.Generators.Reading;

/// <summary>
/// Turns a marked field's owner into a <see cref="MappingOwnerModel"/>, or into nothing when the shared
/// <see cref="MappingOwnerShape"/> classifier finds any problem with it. The generator never reports diagnostics: the
/// analyzer reports the same problems (MMU0011–MMU0015).
/// </summary>
internal static class MappingOwnerReader
{
    /// <summary>
    /// Reads the owner of <paramref name="field"/>, but only when <paramref name="field"/> is the owner's first marked
    /// field: every marked field is a pipeline input, and answering for the first one alone yields each owner once,
    /// with no later de-duplication step to break caching.
    /// </summary>
    public static MappingOwnerModel? ReadIfFirstMarkedField(ISymbol field, CancellationToken cancellationToken)
    {
        if (field is not IFieldSymbol { ContainingType: { } owner })
        {
            return null;
        }

        // Most inputs are not the first marked field: find that out from the attributes of the fields before this
        // one, without reading the whole owner.
        if (!IsFirstMarkedField(owner, field))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var shape = MappingOwnerShape.Classify(owner, cancellationToken);
        if (shape is null || shape.Problems.Count > 0)
        {
            return null;
        }

        var containing = new List<TypeDeclarationModel>();
        for (var outer = owner.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, DeclarationOf(outer));
        }

        return new MappingOwnerModel(
            owner.ContainingNamespace.IsGlobalNamespace ? string.Empty : FullName(owner.ContainingNamespace),
            EquatableArray.From(containing),
            DeclarationOf(owner),
            FullName(owner).Replace("@", string.Empty),
            shape.Disposable,
            EquatableArray.From(MembersOf(shape)),
            owner.IsValueType && !DeclaredStructLayout.IsDeclared(owner));
    }

    /// <summary>The name as source writes it, keywords escaped (<c>Sim.@event</c>), without <c>global::</c>.</summary>
    private static string FullName(INamespaceOrTypeSymbol symbol) =>
        symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);

    private static bool IsFirstMarkedField(INamedTypeSymbol owner, ISymbol field)
    {
        foreach (var member in owner.GetMembers())
        {
            if (SymbolEqualityComparer.Default.Equals(member, field))
            {
                return true;
            }

            if (member is IFieldSymbol other && !other.IsImplicitlyDeclared && MappingOwnerShape.IsMarked(other))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The served owner's mappings; with no problems found, each field is exactly one kind.</summary>
    private static List<MappingMemberModel> MembersOf(MappingOwnerShape shape)
    {
        var members = new List<MappingMemberModel>(shape.Fields.Count);
        var pinnedSlot = 0;
        var coveredSlot = 0;
        foreach (var mapping in shape.Fields)
        {
            var kind = mapping.OutOfBand ? MappingKind.Pinned : MappingKind.NotifierCovered;
            var slot = kind == MappingKind.Pinned ? pinnedSlot++ : coveredSlot++;
            members.Add(new MappingMemberModel(mapping.Field.Name, mapping.Stem, kind, slot));
        }

        return members;
    }

    /// <summary>
    /// The header a partial part of <paramref name="type"/> repeats. <c>ref</c> goes before <c>partial</c>
    /// (<c>ref partial struct</c>); <c>record</c> and <c>record struct</c> come after it.
    /// </summary>
    private static TypeDeclarationModel DeclarationOf(INamedTypeSymbol type)
    {
        var header = type switch
        {
            { IsRecord: true, IsValueType: true } => "partial record struct",
            { IsRecord: true } => "partial record",
            { TypeKind: TypeKind.Interface } => "partial interface",
            { IsRefLikeType: true } => "ref partial struct",
            { IsValueType: true } => "partial struct",
            _ => "partial class",
        };
        return new TypeDeclarationModel(header, type.Name, type.IsValueType);
    }
}
