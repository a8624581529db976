using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs all nine ownership rules (MMU0001–MMU0009) together over sources beside the <see cref="SimPrelude"/>, as a
/// user's build does: the expected diagnostics are the complete set, so a test shows exactly which shapes are flagged.
/// </summary>
internal static class OwnershipRulesVerifier
{
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        AttributedSourcesTest.RunAsync(Analyzers(), new[] { source, SimPrelude.Source }, expected);

    /// <summary>The analyzer that hosts all nine rules, as a user's build runs it.</summary>
    public static IEnumerable<DiagnosticAnalyzer> Analyzers() => new DiagnosticAnalyzer[] { new OwnershipFlowAnalyzer() };
}
