namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The facts a contract promises a value it produces: a parameter at the body's entry, a call's result, a member
/// read, an <c>out</c> argument. Attribute bits in, lattice bits out; no state but the snapshot flag.
/// </summary>
internal static class ContractFacts
{
    /// <summary>What a parameter's own contract promises the body at entry.</summary>
    public static ValueFacts AtEntry(Contract contract)
    {
        var facts = contract.Has(Contract.TakesPinOwnership) ? ValueFacts.Owned
            : contract.Has(Contract.RequiresPin | Contract.Pinned | Contract.ReleasesPin) ? ValueFacts.Held
            : contract.Has(Contract.Borrowed | Contract.MayBeNonRefcounted) ? ValueFacts.NotPinned
            : ValueFacts.None;
        if (contract.Has(Contract.Borrowed))
        {
            facts |= ValueFacts.Borrowed;
        }

        if (contract.Has(Contract.MayBeNonRefcounted) && !facts.Has(ValueFacts.Owned | ValueFacts.Held))
        {
            facts |= ValueFacts.MayBeNonRefcounted;
        }

        return facts;
    }

    /// <summary>The facts of a call's result.</summary>
    public static ValueFacts OfResult(Contract contract, FlowState state) =>
        contract.Has(Contract.ReturnPinned)
            ? ValueFacts.Owned | Resolved(state)
            : OfSource(contract.Has(Contract.ReturnBorrowed), contract.Has(Contract.ReturnMayBeNonRefcounted), state);

    /// <summary>The facts of a field or property read that the state does not track.</summary>
    public static ValueFacts OfMember(Contract contract) =>
        contract.Has(Contract.Pinned) ? ValueFacts.Held
        : contract.Has(Contract.MayBeNonRefcounted) && !contract.Has(Contract.NotifierCovered) ? ValueFacts.NotPinned | ValueFacts.MayBeNonRefcounted
        : ValueFacts.None;

    /// <summary>
    /// The sequence facts of a pfn this body resolved with a pin taken (a <c>[return: Pinned]</c> call, a
    /// <c>[Pinned]</c> or try-pin <c>out</c>): a pin keeps the page from being freed, not the host mapping from
    /// changing, so an install of it is judged by MMU0004 as a borrowed one is.
    /// </summary>
    public static ValueFacts Resolved(FlowState state) =>
        ValueFacts.ResolvedHere | ValueFacts.RetryUnchecked | (state.MayLackSnapshot ? ValueFacts.ResolvedWithoutSnapshot : ValueFacts.None);

    /// <summary>The facts of a freshly resolved unpinned value; a borrowed one starts the sequence discipline.</summary>
    public static ValueFacts OfSource(bool borrowed, bool mayBeNonRefcounted, FlowState state)
    {
        var facts = ValueFacts.None;
        if (borrowed)
        {
            facts |= ValueFacts.NotPinned | ValueFacts.Borrowed | ValueFacts.ResolvedHere | ValueFacts.RetryUnchecked;
            if (state.MayLackSnapshot)
            {
                facts |= ValueFacts.ResolvedWithoutSnapshot;
            }
        }

        if (mayBeNonRefcounted)
        {
            facts |= ValueFacts.NotPinned | ValueFacts.MayBeNonRefcounted;
        }

        return facts;
    }
}
