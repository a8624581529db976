using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Tests.CodeFixes.StandIns;

/// <summary>
/// Stand-in for MMU0005: a local initialised by a <c>[return: Pinned]</c> call, at its declaration, unless a
/// <c>finally</c> of the same method releases it or the last statement of the method does (anywhere else counts as
/// "some path" missing it).
/// </summary>
#pragma warning disable RS1036, RS1038, RS1041 // a test double run only by the test harness, never by a compiler
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PinLeakStandIn : ContractCallStandIn
#pragma warning restore RS1036, RS1038, RS1041
{
    private protected override DiagnosticDescriptor Descriptor => Descriptors.PinLeak;

    private protected override OperationKind Kind => OperationKind.VariableDeclarator;

    private protected override IEnumerable<Location> Offending(IOperation operation, ContractCache contracts)
    {
        var declarator = (IVariableDeclaratorOperation)operation;
        if (declarator.Initializer?.Value is IInvocationOperation call
            && contracts.Of(call.TargetMethod).Has(Contract.ReturnPinned)
            && declarator.Syntax is VariableDeclaratorSyntax syntax
            && !IsReleasedInFinally(declarator.Symbol, declarator, contracts))
        {
            yield return syntax.Identifier.GetLocation();
        }
    }

    private static bool IsReleasedInFinally(ILocalSymbol local, IOperation declarator, ContractCache contracts)
    {
        var body = declarator;
        while (body.Parent is not null)
        {
            body = body.Parent;
        }

        if (body.ChildOperations.Count > 0 && LastStatement(body) is IExpressionStatementOperation { Operation: IInvocationOperation last }
            && Releases(last, local, contracts))
        {
            return true;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is ITryOperation { Finally: { } cleanup })
            {
                foreach (var call in cleanup.Descendants())
                {
                    if (call is IInvocationOperation invocation && Releases(invocation, local, contracts))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static IOperation? LastStatement(IOperation body)
    {
        IOperation? last = null;
        foreach (var operation in body.Descendants())
        {
            if (operation is IBlockOperation block && block.Parent is IMethodBodyOperation && block.Operations.Length > 0)
            {
                last = block.Operations[block.Operations.Length - 1];
            }
        }

        return last;
    }

    private static bool Releases(IInvocationOperation invocation, ILocalSymbol local, ContractCache contracts)
    {
        if (contracts.Of(invocation.TargetMethod).Has(Contract.ReleasesPin)
            && invocation.Instance is ILocalReferenceOperation receiver
            && SymbolEqualityComparer.Default.Equals(receiver.Local, local))
        {
            return true;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (contracts.Of(argument.Parameter).Has(Contract.ReleasesPin)
                && argument.Value is ILocalReferenceOperation released
                && SymbolEqualityComparer.Default.Equals(released.Local, local))
            {
                return true;
            }
        }

        return false;
    }
}
