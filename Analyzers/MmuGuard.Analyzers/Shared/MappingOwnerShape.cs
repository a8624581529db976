using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Shared;

/// <summary>
/// The one answer to "can the bookkeeping generator serve this type, and if not, why": the generator writes code for
/// an owner exactly when <see cref="Problems"/> is empty, and the analyzer reports each problem under its rule
/// (MMU0011–MMU0015). Compiled into both (linked source), so they cannot disagree.
/// </summary>
internal sealed class MappingOwnerShape
{
    /// <summary>The oldest C# the generated code compiles under (<c>#nullable</c>, <c>??=</c>, property patterns).</summary>
    public const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp8;

    private MappingOwnerShape(
        INamedTypeSymbol owner, IReadOnlyList<MarkedMappingField> fields, bool disposable, IReadOnlyList<MappingProblem> problems)
    {
        Owner = owner;
        Fields = fields;
        Disposable = disposable;
        Problems = problems;
    }

    public INamedTypeSymbol Owner { get; }

    /// <summary>The marked fields in declaration order, compiler-made backing fields included.</summary>
    public IReadOnlyList<MarkedMappingField> Fields { get; }

    /// <summary>Whether the owner opted in to <c>IDisposable</c> with <c>[MappingBookkeeping(Disposable = true)]</c>.</summary>
    public bool Disposable { get; }

    /// <summary>Everything that stops the generator serving the owner; empty when it is served.</summary>
    public IReadOnlyList<MappingProblem> Problems { get; }

    /// <summary>Classifies <paramref name="type"/>, or returns <see langword="null"/> when no field of it asks for a mapping.</summary>
    public static MappingOwnerShape? Classify(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var fields = MarkedFieldsOf(type);
        if (fields.Count == 0)
        {
            return null;
        }

        var disposable = IsDisposable(type);
        var problems = new List<MappingProblem>();
        if (type.TypeKind is TypeKind.Class or TypeKind.Struct)
        {
            // Other kinds are reported once, as an unsupported shape.
            foreach (var declaration in NonPartialDeclarations(type, cancellationToken))
            {
                problems.Add(new MappingProblem(MappingProblemKind.TypeNotPartial, declaration.Identifier.GetLocation(), type.Name));
            }
        }

        if (UnsupportedShapeOf(type, fields, cancellationToken) is { } reason)
        {
            problems.Add(new MappingProblem(MappingProblemKind.UnsupportedOwner, MappingProblem.LocationOf(type), type.Name, reason));
        }

        foreach (var mapping in fields)
        {
            AddFieldProblems(mapping, problems);
        }

        GeneratedNameCollisions.Add(type, fields, disposable, problems);
        return new MappingOwnerShape(type, fields, disposable, problems);
    }

    /// <summary>Whether <paramref name="field"/> carries <c>[OutOfBandMapping]</c> or <c>[NotifierCoveredMapping]</c>.</summary>
    public static bool IsMarked(IFieldSymbol field) =>
        MappingAttributeOf(field, GenerationAttributeNames.OutOfBandMapping) is not null
        || MappingAttributeOf(field, GenerationAttributeNames.NotifierCoveredMapping) is not null;

    /// <summary>Whether any field of <paramref name="type"/> asks for a mapping, so the generator writes members into it.</summary>
    public static bool HasMarkedField(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol field && IsMarked(field))
            {
                return true;
            }
        }

        return false;
    }

    private static List<MarkedMappingField> MarkedFieldsOf(INamedTypeSymbol type)
    {
        var fields = new List<MarkedMappingField>();
        foreach (var member in type.GetMembers())
        {
            // Compiler-made backing fields count: [field: OutOfBandMapping] on a property marks one (MMU0012).
            if (member is not IFieldSymbol field)
            {
                continue;
            }

            var outOfBand = MappingAttributeOf(field, GenerationAttributeNames.OutOfBandMapping);
            var covered = MappingAttributeOf(field, GenerationAttributeNames.NotifierCoveredMapping);
            if ((outOfBand ?? covered) is { } marking)
            {
                fields.Add(new MarkedMappingField(field, marking, outOfBand is not null, covered is not null));
            }
        }

        return fields;
    }

    private static string? UnsupportedShapeOf(INamedTypeSymbol type, List<MarkedMappingField> fields, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case { TypeKind: TypeKind.Interface }:
                return "it is an interface, which has no instance fields to hold a mapping";
            case { TypeKind: TypeKind.Enum }:
                return "it is an enum, whose members are constants";
            case { IsRecord: true }:
                return "it is a record, whose generated equality would compare the mapping state";
            case { IsRefLikeType: true }:
                return "it is a ref struct, which the generated bookkeeping cannot box or store";
            case { IsStatic: true }:
                return "it is a static class, which has no instances to hold a mapping";
            case { IsValueType: true, IsReadOnly: true }:
                return "it is a readonly struct, but every map and unmap writes its fields";
            case { IsGenericType: true }:
                return "it is generic";
            case { IsFileLocal: true }:
                return "it is file-local, but the generated part is written to another file";
        }

        if (DeclaredStructLayout.FixesFieldOrder(type))
        {
            return "its [StructLayout] fixes the field order, but the generated state fields need LayoutKind.Auto";
        }

        if (type.IsValueType && fields.Find(mapping => mapping.NotifierCovered) is { } covered)
        {
            return "it is a struct, and notifier-covered mapping '" + covered.Field.Name
                + "' would register a boxed copy with the notifier";
        }

        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.IsGenericType)
            {
                return "it is nested in generic type '" + outer.Name + "'";
            }

            if (outer.IsFileLocal)
            {
                return "it is nested in file-local type '" + outer.Name + "', but the generated part is written to another file";
            }

            if (NonPartialDeclarations(outer, cancellationToken).GetEnumerator().MoveNext())
            {
                return "it is nested in '" + outer.Name + "', which is not partial";
            }
        }

        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (HasMarkedField(baseType))
            {
                return "it derives from '" + baseType.Name + "', which has generated mappings too, and both would write "
                    + MappingNames.UnmapAll + ", " + MappingNames.PinLedger + " and " + MappingNames.Teardown;
            }
        }

        if (LanguageVersionOf(type) is { } version && version < MinimumLanguageVersion)
        {
            return "it is compiled as C# " + version.ToDisplayString() + ", but the generated code needs C# "
                + MinimumLanguageVersion.ToDisplayString() + " or later";
        }

        return null;
    }

    private static LanguageVersion? LanguageVersionOf(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.IsDefaultOrEmpty
            ? null
            : (type.DeclaringSyntaxReferences[0].SyntaxTree.Options as CSharpParseOptions)?.LanguageVersion;

    private static void AddFieldProblems(MarkedMappingField mapping, List<MappingProblem> problems)
    {
        var field = mapping.Field;
        var location = MappingProblem.LocationOf(field);
        if (ConflictOf(mapping) is { } conflict)
        {
            problems.Add(new MappingProblem(
                MappingProblemKind.ConflictingAttributes, location, field.Name, conflict.Declared, conflict.Contradicting));
        }

        if (UnusableFieldReasonOf(mapping) is { } reason)
        {
            problems.Add(new MappingProblem(MappingProblemKind.FieldUnusable, location, field.Name, reason));
        }
    }

    /// <summary>
    /// Both mapping attributes, <c>[NotifierCovered]</c> on an out-of-band mapping, or <c>[Pinned]</c> on a covered one:
    /// a mapping either holds a pin or is invalidated by a notifier.
    /// </summary>
    private static (string Declared, string Contradicting)? ConflictOf(MarkedMappingField mapping)
    {
        const string OutOfBand = "OutOfBandMapping";
        const string Covered = "NotifierCoveredMapping";
        if (mapping.OutOfBand && mapping.NotifierCovered)
        {
            return (OutOfBand, Covered);
        }

        if (mapping.OutOfBand && MappingAttributeOf(mapping.Field, GenerationAttributeNames.NotifierCovered) is not null)
        {
            return (OutOfBand, "NotifierCovered");
        }

        if (mapping.NotifierCovered && MappingAttributeOf(mapping.Field, GenerationAttributeNames.Pinned) is not null)
        {
            return (Covered, "Pinned");
        }

        return null;
    }

    private static string? UnusableFieldReasonOf(MarkedMappingField mapping)
    {
        var field = mapping.Field;
        if (field.IsImplicitlyDeclared)
        {
            return "is the compiler's backing field of '" + field.AssociatedSymbol?.Name
                + "', but only declared fields get generated members";
        }

        if (field.IsConst)
        {
            return "is const";
        }

        if (field.IsStatic)
        {
            return "is static, but each instance holds its own mapping";
        }

        if (field.IsReadOnly)
        {
            return "is readonly, but every map and unmap writes it";
        }

        if (field.RefKind != RefKind.None)
        {
            return "is a ref field, but the mapping must be stored in the owner";
        }

        if (!IsPfnType(field.Type))
        {
            return "has type '" + field.Type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'";
        }

        if (!SymbolEqualityComparer.Default.Equals(field.Type.ContainingAssembly, mapping.MarkingAttribute.ContainingAssembly))
        {
            return "has type 'MmuGuard.Physical.Pfn' declared in '" + field.Type.ContainingAssembly?.Name
                + "', but the generated code uses the Pfn of '" + mapping.MarkingAttribute.ContainingAssembly?.Name
                + "', which declares the mapping attributes";
        }

        if (mapping.Stem.Length == 0)
        {
            return "has a name that leaves no stem for the generated member names";
        }

        foreach (var name in mapping.GeneratedNames())
        {
            if (!SyntaxFacts.IsValidIdentifier(name))
            {
                return "has a name whose stem '" + mapping.Stem + "' makes the generated member name '" + name
                    + "', which is not a valid identifier";
            }
        }

        return null;
    }

    private static bool IsPfnType(ITypeSymbol type) =>
        type is INamedTypeSymbol
        {
            Name: GenerationAttributeNames.PfnName,
            ContainingType: null,
            ContainingNamespace:
            {
                Name: GenerationAttributeNames.PfnNamespace,
                ContainingNamespace: { Name: GenerationAttributeNames.Namespace, ContainingNamespace.IsGlobalNamespace: true },
            },
        };

    private static bool IsDisposable(INamedTypeSymbol owner)
    {
        foreach (var attribute in owner.GetAttributes())
        {
            if (!IsGenerationAttribute(attribute.AttributeClass, GenerationAttributeNames.MappingBookkeeping))
            {
                continue;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == GenerationAttributeNames.DisposableArgument && argument.Value.Value is true)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static IEnumerable<TypeDeclarationSyntax> NonPartialDeclarations(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                yield return declaration;
            }
        }
    }

    /// <summary>The class of the attribute named <paramref name="attributeName"/> in namespace <c>MmuGuard</c> on <paramref name="symbol"/>.</summary>
    private static INamedTypeSymbol? MappingAttributeOf(ISymbol symbol, string attributeName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsGenerationAttribute(attribute.AttributeClass, attributeName))
            {
                return attribute.AttributeClass;
            }
        }

        return null;
    }

    private static bool IsGenerationAttribute(INamedTypeSymbol? attributeClass, string attributeName) =>
        attributeClass is
        {
            ContainingNamespace: { Name: GenerationAttributeNames.Namespace, ContainingNamespace.IsGlobalNamespace: true },
        }
        && attributeClass.Name == attributeName;
}
