using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// Out-of-band mappings whose result a <c>[NotifierCovered]</c> member keeps: the v5.17 gfn=>pfn cache
/// <c>memremap()</c>s a pfn without struct page into <c>new_khva</c> and publishes it as <c>gpc->khva</c>, which the
/// cache's notifier hook invalidates with <c>gpc->pfn</c>. Such a mapping is covered by the cache, not by a pin
/// (docs/attributes.md, <c>[NotifierCovered]</c>), so MMU0001 does not judge it; a use of a released pfn there is
/// still MMU0006. One per body's graph; the graph is scanned only when a body asks.
/// </summary>
internal sealed class CoveredMappings
{
    private readonly ControlFlowGraph _graph;
    private readonly ContractCache _contracts;
    private HashSet<ISymbol>? _coveredLocals;

    public CoveredMappings(ControlFlowGraph graph, ContractCache contracts)
    {
        _graph = graph;
        _contracts = contracts;
    }

    /// <summary>
    /// Whether the call that <paramref name="argument"/> is passed to has its result stored into a
    /// <c>[NotifierCovered]</c> field or property: directly (<c>gpc.Khva = Memremap(pfn)</c>), or through a local the
    /// body stores there (<c>khva = Memremap(pfn); … gpc.Khva = khva + offset;</c>, on any path).
    /// </summary>
    public bool KeptByCoveredMember(IOperation argument) =>
        Call(argument) is { } call
        && Destination(call) switch
        {
            IMemberReferenceOperation member => _contracts.Of(member.Member).Has(Contract.NotifierCovered),
            ILocalReferenceOperation local => CoveredLocals().Contains(local.Local),
            _ => false,
        };

    private static IOperation? Call(IOperation argument)
    {
        var parent = argument.Parent;
        while (parent is IConversionOperation or IArgumentOperation)
        {
            parent = parent.Parent;
        }

        return parent is IInvocationOperation or IObjectCreationOperation ? parent : null;
    }

    /// <summary>What the call's result is assigned to, through arithmetic, conversions and parentheses.</summary>
    private static IOperation? Destination(IOperation call)
    {
        var value = call;
        var parent = call.Parent;
        while (parent is IConversionOperation or IBinaryOperation or IParenthesizedOperation)
        {
            value = parent;
            parent = parent.Parent;
        }

        return parent is IAssignmentOperation assignment && assignment.Value == value ? Conversions.Unwrap(assignment.Target) : null;
    }

    /// <summary>The locals some assignment of the body stores (in any expression) into a covered member.</summary>
    private HashSet<ISymbol> CoveredLocals()
    {
        if (_coveredLocals is { } known)
        {
            return known;
        }

        var locals = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var block in _graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                foreach (var node in OperationWalk.PreOrder(operation))
                {
                    if (node is IAssignmentOperation { Target: var target } assignment
                        && Conversions.Unwrap(target) is IMemberReferenceOperation member
                        && _contracts.Of(member.Member).Has(Contract.NotifierCovered))
                    {
                        foreach (var read in OperationWalk.PreOrder(assignment.Value))
                        {
                            if (read is ILocalReferenceOperation local)
                            {
                                locals.Add(local.Local);
                            }
                        }
                    }
                }
            }
        }

        _coveredLocals = locals;
        return locals;
    }
}
