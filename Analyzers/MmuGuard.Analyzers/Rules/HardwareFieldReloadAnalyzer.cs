using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Bodies;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0022: a notifier-covered PFN (read from <c>[NotifierCovered]</c> storage) or a borrowed one (a
/// <c>[Borrowed]</c> result, <c>out</c> or parameter) written into a <c>[HardwareFieldSink]</c> that neither pins it
/// (<c>[OutOfBandSink]</c>, MMU0001's business) nor is reloaded through a vCPU request on invalidation
/// (<c>[ReloadedOnInvalidation]</c>).
/// </summary>
/// <remarks>
/// A symbol- and operation-level check on the bodies that can name a sink, independent of the flow core: where the written value came from is read from
/// the value itself, or for a local or parameter from every assignment to it in the body, and a value the body passes
/// to an <c>[AcquiresPin]</c> or <c>[TryAcquiresPin]</c> operation, or receives through a <c>[Pinned]</c> <c>out</c>,
/// counts as pinned. docs/rules/MMU0022.md lists what this leaves out.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HardwareFieldReloadAnalyzer : DiagnosticAnalyzer
{
    private const string Covered = "notifier-covered";

    private const string Borrowed = "borrowed";

    /// <summary>Locals assigned from locals are followed this deep; deeper chains are taken as unknown (never reported).</summary>
    private const int MaxLocalChain = 4;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.HardwareFieldWithoutReload);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (HardwareFieldVocabulary.TryCreate(start.Compilation) is not { } vocabulary)
            {
                return;
            }

            // Only bodies whose syntax can reach a [HardwareFieldSink] member are bound (docs/design/bodies.md).
            var sinks = HardwareFieldVocabulary.SinkBodies(start.Compilation, start.CancellationToken);
            start.RegisterCodeBlockAction(block => AnalyzeBlock(block, vocabulary, sinks));
        });
    }

    private static void AnalyzeBlock(CodeBlockAnalysisContext context, HardwareFieldVocabulary vocabulary, BodyFilter sinks)
    {
        var executable = ExecutableCode.Of(context.CodeBlock);
        if (!sinks.Admits(context.OwningSymbol, context.CodeBlock, executable))
        {
            return;
        }

        var pending = new Stack<IOperation>(ExecutableCode.Bind(context.SemanticModel, executable, context.CancellationToken));
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            var found = operation switch
            {
                IArgumentOperation argument => AnalyzeArgument(argument, vocabulary),
                ISimpleAssignmentOperation assignment => AnalyzeAssignment(assignment, vocabulary),
                _ => null,
            };
            if (found is not null)
            {
                context.ReportDiagnostic(found);
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }
    }

    private static Diagnostic? AnalyzeArgument(IArgumentOperation argument, HardwareFieldVocabulary vocabulary)
    {
        if (argument.Parameter is not { } parameter
            || argument.ArgumentKind == ArgumentKind.DefaultValue
            || parameter.RefKind is RefKind.Out
            || !HardwareFieldVocabulary.Has(parameter.OriginalDefinition, vocabulary.HardwareFieldSink)
            || HardwareFieldVocabulary.Has(parameter.OriginalDefinition, vocabulary.OutOfBandSink)
            || vocabulary.DeclaresReload(parameter.OriginalDefinition)
            || vocabulary.DeclaresReload(parameter.ContainingSymbol.OriginalDefinition))
        {
            return null;
        }

        return Judge(vocabulary, argument.Value, parameter.ContainingSymbol.Name);
    }

    private static Diagnostic? AnalyzeAssignment(ISimpleAssignmentOperation assignment, HardwareFieldVocabulary vocabulary)
    {
        ISymbol? member = assignment.Target switch
        {
            IPropertyReferenceOperation property => property.Property.OriginalDefinition,
            IFieldReferenceOperation field => field.Field.OriginalDefinition,
            _ => null,
        };
        if (member is null
            || !HardwareFieldVocabulary.Has(member, vocabulary.HardwareFieldSink)
            || vocabulary.DeclaresReload(member))
        {
            return null;
        }

        return Judge(vocabulary, assignment.Value, member.Name);
    }

    private static Diagnostic? Judge(HardwareFieldVocabulary vocabulary, IOperation value, string sink)
    {
        var body = RootOf(value);
        return OriginOf(value, vocabulary, body, 0) is { } origin
            ? Diagnostic.Create(Descriptors.HardwareFieldWithoutReload, value.Syntax.GetLocation(), origin.ValueName, origin.Description, sink)
            : null;
    }

    /// <summary>Where the written value came from, when that makes it notifier-covered or borrowed; otherwise null.</summary>
    private static ValueOrigin? OriginOf(IOperation value, HardwareFieldVocabulary vocabulary, IOperation body, int depth)
    {
        value = Unwrapped(value);
        switch (value)
        {
            case IFieldReferenceOperation field when vocabulary.IsNotifierCoveredStorage(field.Field.OriginalDefinition):
                return new ValueOrigin(field.Field.Name, Covered);
            case IPropertyReferenceOperation property when vocabulary.IsNotifierCoveredStorage(property.Property.OriginalDefinition):
                return new ValueOrigin(property.Property.Name, Covered);
            case IInvocationOperation call when HardwareFieldVocabulary.ReturnHas(call.TargetMethod.OriginalDefinition, vocabulary.Borrowed):
                return new ValueOrigin(call.Syntax.ToString(), Borrowed);
            case IParameterReferenceOperation parameter when !IsPinnedIn(body, parameter.Parameter, vocabulary):
                return HardwareFieldVocabulary.Has(parameter.Parameter.OriginalDefinition, vocabulary.Borrowed)
                    ? new ValueOrigin(parameter.Parameter.Name, Borrowed)
                    : OriginOfAssigned(parameter.Parameter, vocabulary, body, depth);
            case ILocalReferenceOperation local when !IsPinnedIn(body, local.Local, vocabulary):
                return OriginOfAssigned(local.Local, vocabulary, body, depth);
            case IConditionalOperation conditional:
                return (conditional.WhenTrue is { } whenTrue ? OriginOf(whenTrue, vocabulary, body, depth) : null)
                    ?? (conditional.WhenFalse is { } whenFalse ? OriginOf(whenFalse, vocabulary, body, depth) : null);
            case ICoalesceOperation coalesce:
                return OriginOf(coalesce.Value, vocabulary, body, depth) ?? OriginOf(coalesce.WhenNull, vocabulary, body, depth);
            default:
                return null;
        }
    }

    /// <summary>The first notifier-covered or borrowed source among every value the body assigns to <paramref name="variable"/>.</summary>
    private static ValueOrigin? OriginOfAssigned(ISymbol variable, HardwareFieldVocabulary vocabulary, IOperation body, int depth)
    {
        if (depth >= MaxLocalChain)
        {
            return null;
        }

        foreach (var operation in OperationWalk.PreOrder(body))
        {
            ValueOrigin? source = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, variable)
                    => InitializerOf(declarator) is { } initial ? OriginOf(initial, vocabulary, body, depth + 1) : null,
                ISimpleAssignmentOperation assignment when Refers(assignment.Target, variable)
                    => OriginOf(assignment.Value, vocabulary, body, depth + 1),
                IArgumentOperation { Parameter: { RefKind: RefKind.Out } parameter } argument
                    when Refers(argument.Value, variable)
                    && HardwareFieldVocabulary.Has(parameter.OriginalDefinition, vocabulary.Borrowed)
                    => new ValueOrigin(variable.Name, Borrowed),
                _ => null,
            };
            if (source is not null)
            {
                return source with { ValueName = variable.Name };
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the body pins <paramref name="variable"/> somewhere: passes it to an <c>[AcquiresPin]</c> or
    /// <c>[TryAcquiresPin]</c> parameter, or receives it through a <c>[Pinned]</c> or <c>[TryAcquiresPin]</c>
    /// <c>out</c>. A pinned PFN in a hardware field is the out-of-band pattern, judged by MMU0001 and MMU0005.
    /// </summary>
    private static bool IsPinnedIn(IOperation body, ISymbol variable, HardwareFieldVocabulary vocabulary)
    {
        foreach (var operation in OperationWalk.PreOrder(body))
        {
            if (operation is IArgumentOperation { Parameter: { } parameter } argument
                && Refers(argument.Value, variable)
                && (HardwareFieldVocabulary.Has(parameter.OriginalDefinition, vocabulary.AcquiresPin)
                    || HardwareFieldVocabulary.Has(parameter.OriginalDefinition, vocabulary.TryAcquiresPin)
                    || (parameter.RefKind == RefKind.Out && HardwareFieldVocabulary.Has(parameter.OriginalDefinition, vocabulary.Pinned))))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation? InitializerOf(IVariableDeclaratorOperation declarator) =>
        declarator.Initializer?.Value
        ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;

    /// <summary>Whether <paramref name="operation"/> names <paramref name="variable"/> (directly, or as an <c>out var</c> declaration).</summary>
    private static bool Refers(IOperation operation, ISymbol variable) =>
        Unwrapped(operation) switch
        {
            ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
            IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable),
            IDeclarationExpressionOperation declaration => Refers(declaration.Expression, variable),
            _ => false,
        };

    private static IOperation Unwrapped(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The outermost operation of the body the value is written in, so assignments anywhere in it are seen.</summary>
    private static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>What the diagnostic names: the written value, and whether it is notifier-covered or borrowed.</summary>
    private sealed record ValueOrigin(string ValueName, string Description);
}
