using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>The semantic model and the ownership contracts of one document, as a fixer needs them.</summary>
internal sealed class ContractLookup
{
    private ContractLookup(SemanticModel model, ContractCache contracts)
    {
        Model = model;
        Contracts = contracts;
    }

    public SemanticModel Model { get; }

    public ContractCache Contracts { get; }

    public static async Task<ContractLookup?> CreateAsync(Document document, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var known = model is null ? null : KnownSymbols.TryCreate(model.Compilation);
        return model is null || known is null ? null : new ContractLookup(model, new ContractCache(known));
    }

    /// <summary>The method an invocation calls, if it binds.</summary>
    public IMethodSymbol? TargetOf(SyntaxNode invocation, CancellationToken cancellationToken) =>
        Model.GetSymbolInfo(invocation, cancellationToken).Symbol as IMethodSymbol;
}
