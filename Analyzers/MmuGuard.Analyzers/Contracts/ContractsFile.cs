using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Contracts;

/// <summary>
/// The contracts the compilation's <c>MmuGuard.Contracts.txt</c> additional files attach to members and parameters
/// named by documentation-comment ID, with the problems found on their lines. Read once per compilation.
/// </summary>
internal sealed class ContractsFile
{
    /// <summary>Any additional file whose name ends with this is a contracts file.</summary>
    public const string FileNameSuffix = "MmuGuard.Contracts.txt";

    public static readonly ContractsFile Empty =
        new(ImmutableDictionary.Create<ISymbol, Contract>(SymbolEqualityComparer.Default), ImmutableArray<Diagnostic>.Empty);

    private readonly ImmutableDictionary<ISymbol, Contract> _contracts;

    public ContractsFile(ImmutableDictionary<ISymbol, Contract> contracts, ImmutableArray<Diagnostic> problems)
    {
        _contracts = contracts;
        Problems = problems;
    }

    /// <summary>No line of any contracts file attached a contract.</summary>
    public bool IsEmpty => _contracts.IsEmpty;

    /// <summary>The members and parameters the files attach a contract to.</summary>
    public System.Collections.Generic.IEnumerable<ISymbol> Symbols => _contracts.Keys;

    /// <summary>Malformed lines, unknown symbols or words, and contradictions, each located on its file line.</summary>
    public ImmutableArray<Diagnostic> Problems { get; }

    /// <summary>The contract the files attach to <paramref name="definition"/> (an original definition).</summary>
    public Contract Of(ISymbol definition) =>
        _contracts.TryGetValue(definition, out var contract) ? contract : Contract.None;

    /// <summary>
    /// These contracts plus <paramref name="contract"/> on <paramref name="definition"/>: the inference rules ask the
    /// flow what a body would do if one parameter carried a contract, without touching the compilation's own file.
    /// </summary>
    public ContractsFile With(ISymbol definition, Contract contract) =>
        new(_contracts.SetItem(definition, Of(definition) | contract), Problems);

    /// <summary>Whether <paramref name="path"/> names a contracts file.</summary>
    public static bool IsContractsFile(string path) =>
        path.EndsWith(FileNameSuffix, System.StringComparison.OrdinalIgnoreCase);
}
