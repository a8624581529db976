using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Shared;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0011–MMU0015: declarations the bookkeeping generator cannot serve. The generator never reports diagnostics
/// (it would have to carry locations through its cached models); it asks the same <see cref="MappingOwnerShape"/>
/// classifier and writes nothing when the classifier finds a problem, and this analyzer reports each problem under
/// its rule.
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
            // Without either mapping attribute no field can ask for generated bookkeeping.
            if (start.Compilation.GetTypeByMetadataName(GenerationAttributeNames.OutOfBandMappingMetadataName) is not null
                || start.Compilation.GetTypeByMetadataName(GenerationAttributeNames.NotifierCoveredMappingMetadataName) is not null)
            {
                start.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
            }
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var shape = MappingOwnerShape.Classify((INamedTypeSymbol)context.Symbol, context.CancellationToken);
        if (shape is null)
        {
            return;
        }

        foreach (var problem in shape.Problems)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DescriptorOf(problem.Kind), problem.Location, problem.Arguments.ToArray<object>()));
        }
    }

    private static DiagnosticDescriptor DescriptorOf(MappingProblemKind kind) => kind switch
    {
        MappingProblemKind.TypeNotPartial => Descriptors.MappingTypeNotPartial,
        MappingProblemKind.FieldUnusable => Descriptors.MappingMemberWrongType,
        MappingProblemKind.ConflictingAttributes => Descriptors.MappingConflictingAttributes,
        MappingProblemKind.UnsupportedOwner => Descriptors.MappingTypeUnsupportedShape,
        _ => Descriptors.MappingNameCollision,
    };
}
