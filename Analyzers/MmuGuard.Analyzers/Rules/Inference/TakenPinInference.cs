using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>
/// For MMU0016: whether a body hands its caller a pin it takes itself (<c>Pin(pfn); return pfn;</c>, a successful
/// try-pin whose page is written into an <c>out</c>), proved by running the flow as if the return value (or the
/// <c>out</c> parameter) were <c>[Pinned]</c>. The contract stands only when, under it, every value that leaves
/// through that exit is owned on every path reaching it (or is no page at all: <c>default</c>, <c>null</c>, an
/// <c>[ErrorValue]</c>), and the run reports nothing the plain run does not.
/// </summary>
internal static class TakenPinInference
{
    public static bool ProvesPinned(
        ControlFlowGraph graph,
        IMethodSymbol method,
        IParameterSymbol? outParameter,
        IOperation body,
        ContractHypotheses hypotheses,
        FlowOutcome plain,
        CancellationToken cancellationToken)
    {
        ISymbol subject = outParameter is null ? method : outParameter;
        var hypothesis = hypotheses.Run(graph, method, subject, outParameter is null ? Contract.ReturnPinned : Contract.Pinned, cancellationToken);
        if (!hypothesis.ReportsNothingNewAgainst(plain))
        {
            return false;
        }

        var handsOutPin = false;
        foreach (var flowEvent in hypothesis.Events)
        {
            if (flowEvent.Kind != FlowEventKind.ReturnAsPinned
                || !SymbolEqualityComparer.Default.Equals(flowEvent.Target?.OriginalDefinition, subject.OriginalDefinition))
            {
                continue;
            }

            var state = flowEvent.Facts & (ValueFacts.PinStates | ValueFacts.PinPending);
            if (state == ValueFacts.Owned)
            {
                handsOutPin = true;
            }
            else if (state != ValueFacts.None || !IsNoPageAt(body, flowEvent.Location, hypotheses.Actual))
            {
                // Unpinned, already handed over, released or only pinned if a try succeeds on some path reaching it.
                return false;
            }
        }

        return handsOutPin;
    }

    /// <summary>Whether the value written or returned at <paramref name="location"/> is no page: a constant, <c>default</c> or an error value.</summary>
    private static bool IsNoPageAt(IOperation body, Location location, ContractCache contracts)
    {
        if (body.Syntax.SyntaxTree != location.SourceTree)
        {
            return false;
        }

        // Matched by span, not looked up with FindNode: in a broken tree (while typing) an event may sit on an empty
        // span at the very end of the body, where a position lookup throws.
        foreach (var operation in OperationWalk.PreOrder(body))
        {
            if (operation.Syntax.Span == location.SourceSpan && operation is not IConversionOperation)
            {
                return IsNoPage(operation, contracts);
            }
        }

        return false;
    }

    private static bool IsNoPage(IOperation value, ContractCache contracts) =>
        Conversions.Unwrap(value) switch
        {
            IDefaultValueOperation => true,
            ILiteralOperation literal => literal.ConstantValue.HasValue,
            _ => contracts.ReadsMemberWith(value, Contract.ErrorValue),
        };
}
