using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Tests.CodeFixes.StandIns;

/// <summary>Stand-in for MMU0002: every <c>[AcquiresPin]</c> argument.</summary>
#pragma warning disable RS1036, RS1038, RS1041 // a test double run only by the test harness, never by a compiler
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnconditionalPinStandIn : ContractCallStandIn
#pragma warning restore RS1036, RS1038, RS1041
{
    private protected override DiagnosticDescriptor Descriptor => Descriptors.UnconditionalPinOfMaybeNonRefcounted;

    private protected override Contract Flagged => Contract.AcquiresPin;
}
