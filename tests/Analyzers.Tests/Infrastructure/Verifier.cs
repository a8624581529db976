using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs one analyzer over test sources that see the ownership attributes, with diagnostics placed by markup
/// (<c>{|MMU0001:expr|}</c>). Every source is compiled against the .NET 8 reference assemblies, as a user's sim is.
/// </summary>
internal static class Verifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(new[] { source }, expected);

    public static Task VerifyAsync(string[] sources, params DiagnosticResult[] expected) =>
        AttributedSourcesTest.RunAsync(new DiagnosticAnalyzer[] { new TAnalyzer() }, sources, expected);

    /// <summary>Verifies <paramref name="source"/> compiled beside the annotated <see cref="SimPrelude"/>.</summary>
    public static Task VerifyInSimAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(new[] { source, SimPrelude.Source }, expected);

    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);
}

/// <summary>Runs an analyzer and its code fix (including Fix All) over sources that see the ownership attributes.</summary>
internal static class FixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Test { FixedCode = fixedSource };
        test.TestCode = source;
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    internal sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = Net80References.NothingToResolve;
            Net80References.UseIn(TestState);
            foreach (var (name, text) in AttributeSources.All)
            {
                TestState.Sources.Add((name, text));
                FixedState.Sources.Add((name, text));
            }

            // An analyzer may host several rules; the test is about the ones this fixer fixes.
            var fixable = new TCodeFix().FixableDiagnosticIds;
            foreach (var descriptor in new TAnalyzer().SupportedDiagnostics)
            {
                if (!fixable.Contains(descriptor.Id))
                {
                    DisabledDiagnostics.Add(descriptor.Id);
                }
            }
        }
    }
}
