using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
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
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test();
        test.TestState.Sources.Add(source);
        test.TestState.Sources.Add(SimPrelude.Source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The analyzer that hosts all nine rules, as a user's build runs it.</summary>
    public static IEnumerable<DiagnosticAnalyzer> Analyzers() => new DiagnosticAnalyzer[] { new OwnershipFlowAnalyzer() };

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
    }
}
