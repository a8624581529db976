using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MmuGuard.FloorAnalyzers;

/// <summary>
/// One analyzer whose work is fixed at build time by <c>FloorKind</c>: <c>Load</c> registers nothing (the cost of
/// loading an analyzer assembly at all), <c>Blocks</c> registers a code-block action that returns at once (what the
/// driver does for every body once any analyzer asks for code blocks), <c>Bind</c> binds every body and builds its
/// control-flow graph (what any operation-level analysis of every body pays before its first own instruction).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FloorAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "FLOOR001",
        "Never reported",
        "Never reported",
        "Benchmark",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
#if FLOOR_BLOCKS
        context.RegisterCodeBlockAction(static _ => { });
#elif FLOOR_BIND
        context.RegisterCodeBlockAction(FloorBinding.BindAndBuildGraph);
#endif
    }
}
