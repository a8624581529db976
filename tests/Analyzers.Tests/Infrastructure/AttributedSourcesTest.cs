using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// The one place analyzer tests meet their sources: the ownership attribute sources compiled in, the .NET 8
/// reference assemblies, diagnostics placed by markup (<c>{|MMU0001:expr|}</c>), and any set of analyzers.
/// </summary>
internal sealed class AttributedSourcesTest : CSharpAnalyzerTest<OwnershipFlowAnalyzer, DefaultVerifier>
{
    private readonly DiagnosticAnalyzer[] _analyzers;

    public AttributedSourcesTest(params DiagnosticAnalyzer[] analyzers)
    {
        _analyzers = analyzers;
        ReferenceAssemblies = Net80References.NothingToResolve;
        Net80References.UseIn(TestState);
        foreach (var (name, text) in AttributeSources.All)
        {
            TestState.Sources.Add((name, text));
        }
    }

    /// <summary>Runs <paramref name="analyzers"/> over <paramref name="sources"/> and expects exactly <paramref name="expected"/>.</summary>
    public static Task RunAsync(IEnumerable<DiagnosticAnalyzer> analyzers, IEnumerable<string> sources, DiagnosticResult[] expected)
    {
        var test = new AttributedSourcesTest(analyzers.ToArray());
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => _analyzers;
}
