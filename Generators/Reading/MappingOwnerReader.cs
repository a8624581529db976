using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MmuGuard.Generators.Model;
using MmuGuard.Shared;

namespace MmuGuard.Generators.Reading;

/// <summary>
/// Turns a marked field's owner into a <see cref="MappingOwnerModel"/>, or into nothing when the generator cannot
/// serve its shape. The generator never reports diagnostics: the analyzer (MMU0011–MMU0015) tells the user why a
/// shape is not served, so every check here mirrors one of those rules and simply gives up.
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
        var markedFields = MarkedFieldsOf(owner);
        if (!IsServedOwner(owner, cancellationToken) || !TryReadContainingTypes(owner, cancellationToken, out var containing))
        {
            return null;
        }

        var disposable = IsDisposable(owner);
        var members = ReadMembers(markedFields);

        // A struct cannot be a notifier-covered owner: Track(this, ...) would register a boxed copy.
        if (members is null
            || DeclaredStructLayout.FixesFieldOrder(owner)
            || (owner.IsValueType && members.Any(m => m.Kind == MappingKind.NotifierCovered))
            || CollidesWithOwnMembers(owner, members, disposable))
        {
            return null;
        }

        return new MappingOwnerModel(
            owner.ContainingNamespace.IsGlobalNamespace ? string.Empty : FullName(owner.ContainingNamespace),
            EquatableArray.From(containing),
            DeclarationOf(owner),
            FullName(owner).Replace("@", string.Empty),
            disposable,
            EquatableArray.From(members),
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

            if (member is IFieldSymbol other && !other.IsImplicitlyDeclared && IsMarked(other))
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsMarked(IFieldSymbol field) =>
        HasGenerationAttribute(field, GenerationAttributeNames.OutOfBandMapping)
        || HasGenerationAttribute(field, GenerationAttributeNames.NotifierCoveredMapping);

    private static List<(IFieldSymbol Field, MappingKind? Kind)> MarkedFieldsOf(INamedTypeSymbol owner)
    {
        var marked = new List<(IFieldSymbol, MappingKind?)>();
        foreach (var member in owner.GetMembers())
        {
            // A property's backing field marked [field: OutOfBandMapping] counts, and rejects the owner (MMU0012).
            if (member is IFieldSymbol field)
            {
                var pinned = HasGenerationAttribute(field, GenerationAttributeNames.OutOfBandMapping);
                var covered = HasGenerationAttribute(field, GenerationAttributeNames.NotifierCoveredMapping);
                if (pinned || covered)
                {
                    marked.Add((field, KindOf(field, pinned, covered)));
                }
            }
        }

        return marked;
    }

    /// <summary>
    /// The mapping kind a marked field asks for, or none when its attributes contradict each other (MMU0013): both
    /// mapping attributes, <c>[NotifierCovered]</c> on an out-of-band mapping, <c>[Pinned]</c> on a covered one.
    /// "No kind" rejects the owner.
    /// </summary>
    private static MappingKind? KindOf(IFieldSymbol field, bool pinned, bool covered)
    {
        if (pinned)
        {
            return covered || HasGenerationAttribute(field, GenerationAttributeNames.NotifierCovered) ? null : MappingKind.Pinned;
        }

        return HasGenerationAttribute(field, GenerationAttributeNames.Pinned) ? null : MappingKind.NotifierCovered;
    }

    private static List<MappingMemberModel>? ReadMembers(List<(IFieldSymbol Field, MappingKind? Kind)> markedFields)
    {
        var members = new List<MappingMemberModel>(markedFields.Count);
        var pinnedSlot = 0;
        var coveredSlot = 0;
        foreach (var (field, kind) in markedFields)
        {
            var stem = MappingNames.StemOf(field.Name);
            if (kind is not { } mappingKind || !IsServedField(field) || stem.Length == 0)
            {
                return null;
            }

            var slot = mappingKind == MappingKind.Pinned ? pinnedSlot++ : coveredSlot++;
            members.Add(new MappingMemberModel(field.Name, stem, mappingKind, slot));
        }

        return members;
    }

    /// <summary>A declared mutable instance field of type <c>MmuGuard.Physical.Pfn</c> (MMU0012).</summary>
    private static bool IsServedField(IFieldSymbol field) =>
        !field.IsImplicitlyDeclared
        && !field.IsStatic
        && !field.IsReadOnly
        && !field.IsConst
        && field.RefKind == RefKind.None
        && field.Type is INamedTypeSymbol
        {
            Name: GenerationAttributeNames.PfnName,
            ContainingNamespace:
            {
                Name: GenerationAttributeNames.PfnNamespace,
                ContainingNamespace: { Name: GenerationAttributeNames.Namespace, ContainingNamespace.IsGlobalNamespace: true },
            },
        };

    /// <summary>
    /// A non-generic, non-record, non-ref, non-file-local class or struct whose every declaration is partial (MMU0011,
    /// MMU0014). A file-local type cannot get a generated part: the part lives in another file.
    /// </summary>
    private static bool IsServedOwner(INamedTypeSymbol owner, CancellationToken cancellationToken) =>
        owner.TypeKind is TypeKind.Class or TypeKind.Struct
        && !owner.IsRecord
        && !owner.IsRefLikeType
        && !owner.IsGenericType
        && !owner.IsFileLocal
        && AllDeclarationsPartial(owner, cancellationToken);

    private static bool TryReadContainingTypes(
        INamedTypeSymbol owner, CancellationToken cancellationToken, out List<TypeDeclarationModel> containing)
    {
        containing = new List<TypeDeclarationModel>();
        for (var outer = owner.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.IsGenericType || outer.IsFileLocal || outer.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface)
                || !AllDeclarationsPartial(outer, cancellationToken))
            {
                return false;
            }

            containing.Insert(0, DeclarationOf(outer));
        }

        return true;
    }

    private static bool AllDeclarationsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var references = type.DeclaringSyntaxReferences;
        if (references.IsEmpty)
        {
            return false;
        }

        foreach (var reference in references)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration
                || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    private static TypeDeclarationModel DeclarationOf(INamedTypeSymbol type)
    {
        var keyword = type switch
        {
            { IsRecord: true, IsValueType: true } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Interface } => "interface",
            { IsValueType: true } => type.IsRefLikeType ? "ref struct" : "struct",
            _ => "class",
        };
        return new TypeDeclarationModel(keyword, type.Name, type.IsValueType);
    }

    /// <summary>
    /// Whether a generated member would clash with another generated member or with one the user declared (MMU0015).
    /// Two fields may share a stem when their generated names differ (one pinned, one covered).
    /// </summary>
    private static bool CollidesWithOwnMembers(INamedTypeSymbol owner, List<MappingMemberModel> members, bool disposable)
    {
        var generated = new HashSet<string>(System.StringComparer.Ordinal)
        {
            MappingNames.UnmapAll,
            MappingNames.PinLedger,
            MappingNames.Teardown,
        };
        if (disposable)
        {
            generated.Add(MappingNames.Dispose);
        }

        foreach (var member in members)
        {
            var names = member.Kind == MappingKind.Pinned
                ? MappingNames.PinnedMembers(member.MappingName)
                : MappingNames.CoveredMembers(member.MappingName);
            foreach (var name in names)
            {
                if (!generated.Add(name))
                {
                    return true;
                }
            }
        }

        // GetMembers, not MemberNames: nested types take names too (CS0102).
        return owner.GetMembers().Any(member => !member.IsImplicitlyDeclared && generated.Contains(member.Name));
    }

    private static bool IsDisposable(INamedTypeSymbol owner)
    {
        foreach (var attribute in owner.GetAttributes())
        {
            if (IsGenerationAttribute(attribute.AttributeClass, GenerationAttributeNames.MappingBookkeeping))
            {
                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Key == GenerationAttributeNames.DisposableArgument && argument.Value.Value is true)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool HasGenerationAttribute(ISymbol symbol, string attributeName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsGenerationAttribute(attribute.AttributeClass, attributeName))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsGenerationAttribute(INamedTypeSymbol? attributeClass, string attributeName) =>
        attributeClass is
        {
            ContainingNamespace: { Name: GenerationAttributeNames.Namespace, ContainingNamespace.IsGlobalNamespace: true },
        }
        && attributeClass.Name == attributeName;
}
