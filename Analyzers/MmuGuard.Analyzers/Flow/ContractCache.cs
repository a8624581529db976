using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Contracts;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The contracts of every symbol one compilation's analysis asks about, read from attributes once per symbol and
/// shared by all concurrent callbacks of that compilation (created in the compilation-start action, never static).
/// A contract from a contracts file counts exactly like the attribute of the same name.
/// </summary>
internal sealed class ContractCache
{
    private readonly ConcurrentDictionary<ISymbol, Contract> _contracts = new(SymbolEqualityComparer.Default);

    /// <summary>The <c>SuccessResult</c> of each symbol whose contract has <see cref="Contract.TryAcquiresPinOnResult"/>.</summary>
    private readonly ConcurrentDictionary<ISymbol, int> _successResults = new(SymbolEqualityComparer.Default);

    private readonly ContractsFile _file;

    /// <summary>Contracts from attributes only.</summary>
    public ContractCache(KnownSymbols known)
        : this(known, ContractsFile.Empty)
    {
    }

    /// <summary>Contracts from attributes and from the compilation's contracts files.</summary>
    public ContractCache(KnownSymbols known, ContractsFile file)
    {
        Known = known;
        _file = file;
    }

    public KnownSymbols Known { get; }

    /// <summary>The contracts files' part of these contracts (<see cref="ContractsFile.Empty"/> for attributes only).</summary>
    public ContractsFile File => _file;

    /// <summary>The symbols the contracts files name (in any assembly), for the body pre-filter.</summary>
    public System.Collections.Generic.IEnumerable<ISymbol> FileSymbols => _file.Symbols;

    /// <summary>The contract of a method (with its return value), parameter, field or property; <see cref="Contract.None"/> otherwise.</summary>
    public Contract Of(ISymbol? symbol)
    {
        if (symbol is null)
        {
            return Contract.None;
        }

        symbol = symbol.OriginalDefinition;
        if (_contracts.TryGetValue(symbol, out var cached))
        {
            return cached;
        }

        var contract = Compute(symbol);
        _contracts.TryAdd(symbol, contract);
        return contract;
    }

    /// <summary>
    /// Whether <paramref name="value"/> (through conversions) reads a field or property whose contract has
    /// <paramref name="flag"/>: an <c>[ErrorValue]</c> constant, a <c>[NotifierCovered]</c> member.
    /// </summary>
    public bool ReadsMemberWith(IOperation? value, Contract flag)
    {
        return Conversions.Unwrap(value) switch
        {
            IFieldReferenceOperation field => Of(field.Field).Has(flag),
            IPropertyReferenceOperation property => Of(property.Property).Has(flag),
            _ => false,
        };
    }

    /// <summary>The result value meaning "pinned" of a <c>[TryAcquiresPin(SuccessResult = …)]</c> parameter or method.</summary>
    public int SuccessResultOf(ISymbol symbol)
    {
        Of(symbol);
        return _successResults.TryGetValue(symbol.OriginalDefinition, out var success) ? success : 0;
    }

    private Contract Compute(ISymbol symbol)
    {
        var contract = _file.Of(symbol) | FromAttributes(symbol, symbol.GetAttributes(), returnForms: false);
        if (symbol is IMethodSymbol method)
        {
            contract |= FromAttributes(method, method.GetReturnTypeAttributes(), returnForms: true);
            if (Known.MapResult is { } mapResult && SymbolEqualityComparer.Default.Equals(method.ReturnType, mapResult))
            {
                contract |= Contract.ReturnsMapOutcome;
            }

            foreach (var parameter in method.Parameters)
            {
                if (Of(parameter) != Contract.None)
                {
                    contract |= Contract.HasAnnotatedParameter;
                }

                if (parameter.Type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type && Of(type).Has(Contract.OperationContext))
                {
                    contract |= Contract.HasContextArgument;
                }
            }
        }

        return contract;
    }

    private Contract FromAttributes(ISymbol symbol, ImmutableArray<AttributeData> attributes, bool returnForms)
    {
        var contract = Contract.None;
        foreach (var attribute in attributes)
        {
            contract |= FromAttribute(symbol, attribute, returnForms);
        }

        return contract;
    }

    private Contract FromAttribute(ISymbol symbol, AttributeData attribute, bool returnForms)
    {
        var type = attribute.AttributeClass;
        if (type is null)
        {
            return Contract.None;
        }

        if (Is(type, Known.Pinned))
        {
            return returnForms ? Contract.ReturnPinned : Contract.Pinned;
        }

        if (Is(type, Known.Borrowed))
        {
            return returnForms ? Contract.ReturnBorrowed : Contract.Borrowed;
        }

        if (Is(type, Known.MayBeNonRefcounted))
        {
            return returnForms ? Contract.ReturnMayBeNonRefcounted : Contract.MayBeNonRefcounted;
        }

        if (returnForms)
        {
            return Is(type, Known.NotZero) ? Contract.ReturnNotZero : Contract.None;
        }

        if (Is(type, Known.DoesNotReturnIf))
        {
            return attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is bool stopsWhen
                ? stopsWhen ? Contract.ReturnsOnlyIfFalse : Contract.ReturnsOnlyIfTrue
                : Contract.None;
        }

        if (Is(type, Known.TryAcquiresPin))
        {
            var onResult = Contract.None;
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "SuccessResult" && named.Value.Value is int successResult)
                {
                    _successResults[symbol] = successResult;
                    onResult |= Contract.TryAcquiresPin | Contract.TryAcquiresPinOnResult;
                }
                else if (named.Key == "SuccessIsHighest" && named.Value.Value is true)
                {
                    onResult |= Contract.TryAcquiresPinSuccessIsHighest;
                }
            }

            if (onResult.Has(Contract.TryAcquiresPinOnResult))
            {
                return onResult;
            }

            var onFalse = attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is bool success
                && !success;
            // SuccessIsHighest without SuccessResult orders nothing; the bit stays for MMU0010 to report.
            return (onFalse ? Contract.TryAcquiresPin | Contract.TryAcquiresPinOnFalse : Contract.TryAcquiresPin) | onResult;
        }

        if (Is(type, Known.NotRefcountedCheck))
        {
            var onFalse = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is false;
            return onFalse ? Contract.NotRefcountedCheck | Contract.NotRefcountedCheckOnFalse : Contract.NotRefcountedCheck;
        }

        return Is(type, Known.AcquiresPin) ? Contract.AcquiresPin
            : Is(type, Known.ReleasesPin) ? Contract.ReleasesPin
            : Is(type, Known.TakesPinOwnership) ? Contract.TakesPinOwnership
            : Is(type, Known.RequiresPin) ? Contract.RequiresPin
            : Is(type, Known.OutOfBandSink) ? Contract.OutOfBandSink
            : Is(type, Known.NotifierCoveredSink) ? Contract.NotifierCoveredSink
            : Is(type, Known.NotifierCovered) ? Contract.NotifierCovered
            : Is(type, Known.SnapshotsInvalidationSequence) ? Contract.SnapshotsInvalidationSequence
            : Is(type, Known.ChecksInvalidationRetry) ? Contract.ChecksInvalidationRetry
            : Is(type, Known.ErrorValue) ? Contract.ErrorValue
            : Is(type, Known.ErrorCheck) ? Contract.ErrorCheck
            : Is(type, Known.MovesReferenceToResult) ? Contract.MovesReferenceToResult
            : Is(type, Known.AcquiresLock) ? Contract.AcquiresLock
            : Is(type, Known.ReleasesLock) ? Contract.ReleasesLock
            : Is(type, Known.InvalidationLock) ? Contract.InvalidationLock
            : Is(type, Known.OperationContext) ? Contract.OperationContext
            : Contract.None;
    }

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);
}
