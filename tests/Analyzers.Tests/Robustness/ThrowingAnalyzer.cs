using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MmuGuard.Analyzers.Tests.Robustness;

/// <summary>An analyzer that always throws, proving the robustness harness would notice an AD0001.</summary>
#pragma warning disable RS1036, RS1038, RS1041, RS2008 // a test double run only by the test harness, never by a compiler
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ThrowingAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "TEST0001", "Never reported", "Never reported", "Test", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxTreeAction(_ => throw new InvalidOperationException("thrown on purpose"));
    }
}
#pragma warning restore RS1036, RS1038, RS1041, RS2008
