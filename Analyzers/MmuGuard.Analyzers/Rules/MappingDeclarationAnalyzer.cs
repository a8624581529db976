using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Shared;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0011–MMU0015: declarations the bookkeeping generator cannot serve. The generator never reports diagnostics
/// (it would have to carry locations through its cached models); it quietly skips what this analyzer reports.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MappingDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.MappingTypeNotPartial,
        Descriptors.MappingMemberWrongType,
        Descriptors.MappingConflictingAttributes,
        Descriptors.MappingTypeUnsupportedShape,
        Descriptors.MappingNameCollision);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = MappingSymbols.TryCreate(start.Compilation);
            if (symbols is not null)
            {
                start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, symbols), SymbolKind.NamedType);
            }
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, MappingSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var fields = MappingFieldsOf(type, symbols);
        if (fields.Count == 0)
        {
            return;
        }

        ReportNonPartialDeclarations(context, type);
        ReportUnsupportedShape(context, type, fields);
        foreach (var mapping in fields)
        {
            ReportFieldProblems(context, symbols, mapping);
        }

        GeneratedNameCollisions.Report(context.ReportDiagnostic, type, fields, IsDisposable(type, symbols));
    }

    private static List<MappingField> MappingFieldsOf(INamedTypeSymbol type, MappingSymbols symbols)
    {
        var fields = new List<MappingField>();
        foreach (var member in type.GetMembers())
        {
            // Compiler-made backing fields count: [field: OutOfBandMapping] on a property marks one (MMU0012).
            if (member is not IFieldSymbol field)
            {
                continue;
            }

            var outOfBand = HasAttribute(field, symbols.OutOfBandMapping);
            var covered = HasAttribute(field, symbols.NotifierCoveredMapping);
            if (outOfBand || covered)
            {
                fields.Add(new MappingField(field, outOfBand, covered));
            }
        }

        return fields;
    }

    private static void ReportNonPartialDeclarations(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return; // other kinds are MMU0014
        }

        foreach (var declaration in NonPartialDeclarations(type, context.CancellationToken))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.MappingTypeNotPartial, declaration.Identifier.GetLocation(), type.Name));
        }
    }

    private static void ReportUnsupportedShape(SymbolAnalysisContext context, INamedTypeSymbol type, List<MappingField> fields)
    {
        var reason = UnsupportedShapeOf(type, fields, context);
        if (reason is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.MappingTypeUnsupportedShape, FirstLocation(type), type.Name, reason));
        }
    }

    private static string? UnsupportedShapeOf(INamedTypeSymbol type, List<MappingField> fields, SymbolAnalysisContext context)
    {
        if (type.TypeKind == TypeKind.Interface)
        {
            return "it is an interface, which has no instance fields to hold a mapping";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return "it is an enum, whose members are constants";
        }

        if (type.IsRecord)
        {
            return "it is a record, whose generated equality would compare the mapping state";
        }

        if (type.IsRefLikeType)
        {
            return "it is a ref struct, which the generated bookkeeping cannot box or store";
        }

        if (type.IsGenericType)
        {
            return "it is generic";
        }

        if (type.IsFileLocal)
        {
            return "it is file-local, but the generated part is written to another file";
        }

        if (DeclaredStructLayout.FixesFieldOrder(type))
        {
            return "its [StructLayout] fixes the field order, but the generated state fields need LayoutKind.Auto";
        }

        if (type.IsValueType && fields.FindIndex(mapping => mapping.NotifierCovered) is var covered and >= 0)
        {
            return "it is a struct, and notifier-covered mapping '" + fields[covered].Field.Name
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

            if (NonPartialDeclarations(outer, context.CancellationToken).Any())
            {
                return "it is nested in '" + outer.Name + "', which is not partial";
            }
        }

        return null;
    }

    private static void ReportFieldProblems(SymbolAnalysisContext context, MappingSymbols symbols, MappingField mapping)
    {
        var field = mapping.Field;
        var location = FirstLocation(field);
        if (mapping.OutOfBand && mapping.NotifierCovered)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.MappingConflictingAttributes, location, field.Name, "OutOfBandMapping", "NotifierCoveredMapping"));
        }
        else if (mapping.OutOfBand && HasAttribute(field, symbols.NotifierCovered))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.MappingConflictingAttributes, location, field.Name, "OutOfBandMapping", "NotifierCovered"));
        }
        else if (mapping.NotifierCovered && HasAttribute(field, symbols.Pinned))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.MappingConflictingAttributes, location, field.Name, "NotifierCoveredMapping", "Pinned"));
        }

        var problem = ShapeProblemOf(field, symbols);
        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.MappingMemberWrongType, location, field.Name, problem));
        }
    }

    private static string? ShapeProblemOf(IFieldSymbol field, MappingSymbols symbols)
    {
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

        if (symbols.Pfn is not null && !SymbolEqualityComparer.Default.Equals(field.Type, symbols.Pfn))
        {
            return "has type '" + field.Type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'";
        }

        if (MappingNames.StemOf(field.Name).Length == 0)
        {
            return "has a name that leaves no stem for the generated member names";
        }

        return null;
    }

    private static bool IsDisposable(INamedTypeSymbol type, MappingSymbols symbols)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.MappingBookkeeping))
            {
                continue;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "Disposable" && argument.Value.Value is true)
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

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    private static Location FirstLocation(ISymbol symbol) =>
        symbol.Locations.IsDefaultOrEmpty ? Location.None : symbol.Locations[0];
}
