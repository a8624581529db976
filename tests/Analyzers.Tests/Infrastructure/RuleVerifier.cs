using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs one ownership rule, hosted by <see cref="OwnershipFlowAnalyzer"/> as in a user's build but alone, over test
/// sources that see the ownership attributes.
/// </summary>
internal static class RuleVerifier<TRule>
    where TRule : FlowRule, new()
{
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(new[] { source }, expected);

    public static Task VerifyAsync(string[] sources, params DiagnosticResult[] expected) =>
        AttributedSourcesTest.RunAsync(new DiagnosticAnalyzer[] { new OwnershipFlowAnalyzer(new TRule()) }, sources, expected);

    /// <summary>Verifies <paramref name="source"/> compiled beside the annotated <see cref="SimPrelude"/>.</summary>
    public static Task VerifyInSimAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(new[] { source, SimPrelude.Source }, expected);

    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);
}
