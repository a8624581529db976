using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Tests.CodeFixes.StandIns;

/// <summary>Stand-in for MMU0002: every argument bound to an <c>[AcquiresPin]</c> parameter.</summary>
#pragma warning disable RS1036, RS1038, RS1041 // a test double run only by the test harness, never by a compiler
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnconditionalPinStandIn : ContractCallStandIn
#pragma warning restore RS1036, RS1038, RS1041
{
    private protected override DiagnosticDescriptor Descriptor => Descriptors.UnconditionalPinOfMaybeNonRefcounted;

    private protected override OperationKind Kind => OperationKind.Invocation;

    private protected override IEnumerable<Location> Offending(IOperation operation, ContractCache contracts)
    {
        foreach (var argument in ((IInvocationOperation)operation).Arguments)
        {
            if (contracts.Of(argument.Parameter).Has(Contract.AcquiresPin))
            {
                yield return argument.Syntax.GetLocation();
            }
        }
    }
}
