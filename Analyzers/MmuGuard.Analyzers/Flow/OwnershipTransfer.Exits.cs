using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The ownership transfer of leaving the body: a pin still owned on a path that leaves is leaked at that path's exit
/// (the <c>return</c>, or the end of the body), where the user must release or hand it over. One event per leaking
/// exit and value, with the value's declaration as the related location.
/// </summary>
internal sealed partial class OwnershipTransfer
{
    /// <summary>The leaking exits seen on the recording pass, in the order found.</summary>
    private readonly List<(AccessPath Key, Location Exit)> _exitLeaks = new();

    /// <summary>Each value's facts joined over every exit, so a leak's properties say what other paths did with it.</summary>
    private readonly Dictionary<AccessPath, ValueFacts> _factsAtExits = new();

    /// <summary>
    /// A path leaves the body at <paramref name="exit"/>: a pin still owned by a local or parameter leaks there,
    /// including a try-pin whose result was kept but never tested (the pin is held on its success path). A parameter
    /// the method itself acquires for its caller (<c>[AcquiresPin]</c>, <c>[TryAcquiresPin]</c>) carries the pin out by
    /// contract.
    /// </summary>
    public void LeavesBody(Location exit, FlowState state)
    {
        if (!Recording)
        {
            return;
        }

        foreach (var pair in state.Values)
        {
            var key = pair.Key;
            if (key is not { IsVariable: true, RootSymbol: { } symbol } || symbol.Locations.IsEmpty
                || CarriesPinOut(symbol) || !NamesTheLeak(key, state))
            {
                continue;
            }

            var facts = pair.Value;
            if (facts.Has(ValueFacts.PinPending))
            {
                facts |= ValueFacts.Owned;
            }

            _factsAtExits[key] = _factsAtExits.TryGetValue(key, out var joined) ? joined | facts : facts;
            if (facts.Has(ValueFacts.Owned))
            {
                _exitLeaks.Add((key, exit));
            }
        }
    }

    /// <summary>A parameter the method acquires for its caller (<c>[AcquiresPin]</c>, <c>[TryAcquiresPin]</c>) carries the pin out by contract.</summary>
    private bool CarriesPinOut(ISymbol symbol) =>
        symbol is IParameterSymbol parameter && _contracts.Of(parameter).Has(Contract.AcquiresPin | Contract.TryAcquiresPin);

    /// <summary>
    /// Whether <paramref name="key"/> is the name a leak of its value is reported under: a value with several names
    /// owes one pin, reported once, under the name declared first; none if one of the names carries the pin out.
    /// </summary>
    private bool NamesTheLeak(AccessPath key, FlowState state)
    {
        if (state.AliasesOf(key) is not { } names)
        {
            return true;
        }

        var first = key.RootSymbol!.Locations[0];
        foreach (var name in names)
        {
            if (name.Equals(key) || name.RootSymbol is not { } other || other.Locations.IsEmpty)
            {
                continue;
            }

            if (CarriesPinOut(other))
            {
                return false;
            }

            var location = other.Locations[0];
            if (location.SourceTree == first.SourceTree && location.SourceSpan.Start < first.SourceSpan.Start)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Values whose pin was already reported lost where they were overwritten (a loop that comes back to the
    /// declaration): the same pin reaching an exit on the last iteration is the same mistake, reported once.
    /// </summary>
    private readonly HashSet<AccessPath> _leakedAtOverwrite = new();

    /// <summary>Records the leaks found at the exits, once every exit's facts are joined.</summary>
    public void ReportExitLeaks()
    {
        foreach (var (key, exit) in _exitLeaks)
        {
            if (_leakedAtOverwrite.Contains(key))
            {
                continue;
            }

            var symbol = key.RootSymbol!;
            var facts = _factsAtExits[key] | _liveness.SettledWhenDropped(key);
            _recorder.Add(FlowEventKind.ObligationEnds, facts, exit, symbol.Name, target: null, Contract.None, related: symbol.Locations[0]);
        }

        _exitLeaks.Clear();
        _leakedAtOverwrite.Clear();
        _factsAtExits.Clear();
    }

    /// <summary>The name a write writes: a declaration's identifier (<c>var {pfn} = …</c>, <c>out var {pfn}</c>), or the written expression.</summary>
    private static Location WriteLocation(SyntaxNode syntax) =>
        syntax switch
        {
            VariableDeclaratorSyntax declarator => declarator.Identifier.GetLocation(),
            DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax designation } => designation.Identifier.GetLocation(),
            SingleVariableDesignationSyntax designation => designation.Identifier.GetLocation(),
            _ => syntax.GetLocation(),
        };
}
