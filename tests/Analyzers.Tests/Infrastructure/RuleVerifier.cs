using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs one ownership rule, hosted by <see cref="OwnershipFlowAnalyzer"/> as in a user's build but alone, over test
/// sources that see the ownership attributes, with diagnostics placed by markup.
/// </summary>
internal static class RuleVerifier<TRule>
    where TRule : FlowRule, new()
{
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(new[] { source }, expected);

    public static Task VerifyAsync(string[] sources, params DiagnosticResult[] expected)
    {
        var test = new Test();
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Verifies <paramref name="source"/> compiled beside the annotated <see cref="SimPrelude"/>.</summary>
    public static Task VerifyInSimAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(new[] { source, SimPrelude.Source }, expected);

    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);

    private sealed class Test : CSharpAnalyzerTest<OwnershipFlowAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80;
            foreach (var (name, text) in AttributeSources.All)
            {
                TestState.Sources.Add((name, text));
            }
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
            new DiagnosticAnalyzer[] { new OwnershipFlowAnalyzer(new TRule()) };
    }
}
