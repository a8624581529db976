using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Bodies;

/// <summary>
/// The bodies that can touch a contract: the pre-filter in front of the flow rules (MMU0001–MMU0009, MMU0017), the
/// inference rules (MMU0023–MMU0026) and MMU0016. One per contract cache (so per compilation and contracts file),
/// kept in a <see cref="ConditionalWeakTable{TKey, TValue}"/> like <see cref="CompilationContracts"/>; the walk of
/// the symbols behind it is <see cref="CompilationBodies"/>', done once per compilation for every body filter.
/// </summary>
internal sealed class ContractBodies
{
    private static readonly ConditionalWeakTable<ContractCache, ContractBodies> Shared = new();

    private ContractBodies(ContractCache contracts, BodyFilter filter)
    {
        Contracts = contracts;
        Filter = filter;
    }

    public ContractCache Contracts { get; }

    public BodyFilter Filter { get; }

    /// <summary>The filter of <paramref name="contracts"/> in <paramref name="compilation"/>, built on first use.</summary>
    public static ContractBodies Of(Compilation compilation, ContractCache contracts, CancellationToken cancellationToken) =>
        Shared.GetValue(contracts, created => new ContractBodies(created, BuildFilter(compilation, created, cancellationToken)));

    /// <summary>
    /// Whether the body of <paramref name="owningSymbol"/> (code block <paramref name="codeBlock"/>) with executable code <paramref name="executable"/> may
    /// touch a contract: its own signature carries one, or its syntax can reach a member that does.
    /// </summary>
    public bool Admits(ISymbol owningSymbol, SyntaxNode codeBlock, ImmutableArray<SyntaxNode> executable) =>
        (owningSymbol is IMethodSymbol method && Carries(Contracts, method)) || Filter.Admits(owningSymbol, codeBlock, executable);

    /// <summary>
    /// A contract that can make a body matter. <c>[DoesNotReturnIf]</c> alone (<c>Debug.Assert</c>, test asserts) only
    /// refines branches on values that something else tracks, so it does not.
    /// </summary>
    internal static bool Carries(ContractCache contracts, ISymbol symbol) =>
        (contracts.Of(symbol) & ~(Contract.ReturnsOnlyIfTrue | Contract.ReturnsOnlyIfFalse)) != Contract.None;

    private static BodyFilter BuildFilter(Compilation compilation, ContractCache contracts, CancellationToken cancellationToken) =>
        CompilationBodies.Of(compilation).ContractFilter(contracts.FileSymbols, cancellationToken);
}
