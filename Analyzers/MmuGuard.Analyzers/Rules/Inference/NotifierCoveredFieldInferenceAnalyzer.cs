using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>
/// MMU0026 (Info): an unannotated field of a type with an MMU-notifier hook that only ever receives borrowed PFNs:
/// a PFN cache the hook invalidates, which is what <c>[NotifierCovered]</c> says. Without it each store is MMU0009.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NotifierCoveredFieldInferenceAnalyzer : DiagnosticAnalyzer
{
    /// <summary>A notifier hook implements an interface member whose name starts with this (<c>InvalidateRangeStart</c>, <c>InvalidateCoveredMapping</c>).</summary>
    public const string HookPrefix = "Invalidate";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.InferredNotifierCovered);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is null
                || CompilationFlow.Create(start.Compilation, start.Options, start.CancellationToken) is not { } flow)
            {
                return;
            }

            start.RegisterSymbolStartAction(
                symbol =>
                {
                    if (symbol.Symbol is INamedTypeSymbol type && NotifierHookOf(type) is { } hook)
                    {
                        AnalyzeType(symbol, type, hook, flow);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, INamedTypeSymbol type, IMethodSymbol hook, CompilationFlow flow)
    {
        var stores = new ConcurrentDictionary<IFieldSymbol, ValueFacts>(SymbolEqualityComparer.Default);
        context.RegisterCodeBlockAction(block =>
        {
            foreach (var flowEvent in flow.EventsOf(block))
            {
                if (flowEvent.Kind == FlowEventKind.StoreToMember
                    && flowEvent.Target is IFieldSymbol field
                    && SymbolEqualityComparer.Default.Equals(field.ContainingType, type)
                    && flowEvent.TargetContract == Contract.None)
                {
                    stores.AddOrUpdate(field, flowEvent.Facts, (_, facts) => facts | flowEvent.Facts);
                }
            }
        });
        context.RegisterSymbolEndAction(end =>
        {
            foreach (var pair in stores)
            {
                // Borrowed on some store, and no store holds a pin (a pinned page in the field is an owner, not a cache).
                var facts = pair.Value;
                if (facts.Has(ValueFacts.Borrowed) && !facts.Has(ValueFacts.Owned | ValueFacts.Held | ValueFacts.Escaped | ValueFacts.Released)
                    && !pair.Key.Locations.IsDefaultOrEmpty)
                {
                    end.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.InferredNotifierCovered,
                        pair.Key.Locations[0],
                        InferredContract.Properties("NotifierCovered"),
                        pair.Key.Name,
                        hook.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
                }
            }
        });
    }

    /// <summary>The type's implementation of an invalidation hook of an interface it implements, if any.</summary>
    private static IMethodSymbol? NotifierHookOf(INamedTypeSymbol type)
    {
        foreach (var contract in type.AllInterfaces)
        {
            foreach (var member in contract.GetMembers())
            {
                if (member is IMethodSymbol method
                    && method.Name.StartsWith(HookPrefix, StringComparison.Ordinal)
                    && type.FindImplementationForInterfaceMember(method) is IMethodSymbol implementation
                    && SymbolEqualityComparer.Default.Equals(implementation.ContainingType, type))
                {
                    return implementation;
                }
            }
        }

        return null;
    }
}
