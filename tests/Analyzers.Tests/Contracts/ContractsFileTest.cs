using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.Tests.Contracts;

/// <summary>
/// Runs the ownership rules and the contracts-file analyzer over sources that see NO MmuGuard attribute, with one
/// <c>MmuGuard.Contracts.txt</c> additional file: every contract the rules act on comes from the file.
/// </summary>
internal sealed class ContractsFileTest : CSharpAnalyzerTest<OwnershipFlowAnalyzer, DefaultVerifier>
{
    public const string FileName = "MmuGuard.Contracts.txt";

    public ContractsFileTest(string contracts)
    {
        ReferenceAssemblies = Infrastructure.Net80References.NothingToResolve;
        Infrastructure.Net80References.UseIn(TestState);
        TestState.AdditionalFiles.Add((FileName, contracts));
    }

    /// <summary>Verifies <paramref name="source"/> beside the <see cref="VendorMm"/> library and its contracts file.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(source, VendorMm.Contracts, expected);

    /// <summary>Verifies <paramref name="source"/> beside the <see cref="VendorMm"/> library, with <paramref name="contracts"/> as the file.</summary>
    public static Task VerifyAsync(string source, string contracts, params DiagnosticResult[] expected)
    {
        var test = new ContractsFileTest(contracts);
        test.TestState.Sources.Add(source);
        test.TestState.Sources.Add(VendorMm.Source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>A diagnostic on the contracts file, from (line, column) to (line, endColumn), 1-based as the editor shows.</summary>
    public static DiagnosticResult OnFileLine(string id, int line, int column, int endColumn) =>
        new DiagnosticResult(id, DiagnosticSeverity.Warning).WithSpan(FileName, line, column, line, endColumn);

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
        new DiagnosticAnalyzer[] { new OwnershipFlowAnalyzer(), new ContractsFileAnalyzer() };
}
