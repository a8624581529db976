namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// What taking one edge of a branch proves about the state, from the <see cref="BranchOutcome"/> the branch value
/// carries: the success edge of a try-pin owns the pin, the null edge of a null test holds nothing, the retry edge
/// of a retry check asked for a retry, and the other edge of a constant is infeasible.
/// </summary>
internal static class BranchRefinement
{
    /// <summary>Applies what taking the edge where the branch value equals <paramref name="edgeValue"/> proves; false when the edge is infeasible.</summary>
    public static bool Refine(BranchOutcome? outcome, bool edgeValue, FlowState state)
    {
        switch (outcome?.Kind)
        {
            case BranchOutcomeKind.Constant:
                return outcome.HoldsWhen == edgeValue;
            case BranchOutcomeKind.RetryCheck:
                var retry = outcome.HoldsWhen == edgeValue;
                state.UpdateAll(facts => !facts.Has(ValueFacts.ResolvedHere) ? facts
                    : retry ? (facts & ~ValueFacts.RetryUnchecked) | ValueFacts.RetryRequested
                    : facts & ~(ValueFacts.RetryUnchecked | ValueFacts.RetryRequested));
                return true;
            case BranchOutcomeKind.NullCheck:
                if (outcome.HoldsWhen == edgeValue)
                {
                    state.Forget(outcome.Key!.Value);
                }

                return true;
            case BranchOutcomeKind.Pin:
                // A result already branched on along every path here (a switch's `case true:` then `case false:`)
                // has one feasible edge and nothing more to refine.
                var success = outcome.HoldsWhen ? outcome : outcome.Negated;
                var succeeded = edgeValue == outcome.HoldsWhen;
                if (state.TryGetDecided(success, out var decided))
                {
                    return decided == succeeded;
                }

                foreach (var pin in outcome.Pins)
                {
                    if (!outcome.IsCombined || state.TryGet(pin.Key, out _))
                    {
                        RefinePin(pin, succeeded: pin.PinnedWhen == edgeValue, state);
                    }
                }

                state.Decide(success, succeeded);
                return true;
            case BranchOutcomeKind.PinFailure:
                return outcome.HoldsWhen != edgeValue || RefineFailure(outcome.Source!, state);
            case BranchOutcomeKind.NotRefcounted:
                return RefineNotRefcounted(outcome, holds: outcome.HoldsWhen == edgeValue, state);
            case BranchOutcomeKind.Implication:
                // One-directional: only the zero edge says which way the correlated outcome went.
                return outcome.HoldsWhen != edgeValue || Refine(outcome.Source!, outcome.ImpliedValue, state);
            default:
                return true;
        }
    }

    /// <summary>
    /// An edge of a <c>[NotRefcountedCheck]</c>: where it holds, the value has no refcounted page (no reference, not
    /// pinnable) and the try-pin whose result it is did not pin; elsewhere it has one. A flag set under the check
    /// (<c>if (kvm_is_reserved_pfn(pfn)) device = true;</c>) carries the same outcome, so testing the flag again
    /// refines again; a test that contradicts the decided value here is infeasible.
    /// </summary>
    private static bool RefineNotRefcounted(BranchOutcome outcome, bool holds, FlowState state)
    {
        var positive = outcome.HoldsWhen ? outcome : outcome.Negated;
        if (state.TryGetDecided(positive, out var decided))
        {
            return decided == holds;
        }

        var key = outcome.Key!.Value;
        if (state.TryGet(key, out var facts))
        {
            var refined = holds
                ? facts.WithState(ValueFacts.NotRefcounted) | ValueFacts.MayBeNonRefcounted
                : facts & ~ValueFacts.NotRefcounted;
            state.SetOrForget(key, (refined & ValueFacts.PinStates) == 0 ? ValueFacts.None : refined);
        }

        if (holds)
        {
            foreach (var pin in positive.Pins)
            {
                RefinePin(pin, succeeded: false, state);
            }
        }

        state.Decide(positive, holds);
        return true;
    }

    /// <summary>The edge of a test proving the try-pin of <paramref name="success"/> failed; false when it is known to have succeeded here.</summary>
    private static bool RefineFailure(BranchOutcome success, FlowState state)
    {
        if (state.TryGetDecided(success, out var decided))
        {
            return !decided;
        }

        foreach (var pin in success.Pins)
        {
            RefinePin(pin, succeeded: false, state);
        }

        state.Decide(success, false);
        return true;
    }

    /// <summary>The value a try-pin ran on, on an edge where it did or did not pin.</summary>
    public static void RefinePin(PendingPin pin, bool succeeded, FlowState state)
    {
        var known = state.TryGet(pin.Key, out var facts);
        if (succeeded)
        {
            // The first test of the result turns the pending pin into an owned one; a later test of the same result
            // (a stored bool) only rules out "never pinned" on this edge.
            if (!known || facts.Has(ValueFacts.PinPending))
            {
                state.Set(pin.Key, (facts & ~ValueFacts.MayBeNonRefcounted).WithState(ValueFacts.Owned));
            }
            else
            {
                var refined = facts & ~(ValueFacts.NotPinned | ValueFacts.MayBeNonRefcounted);
                state.Set(pin.Key, (refined & ValueFacts.PinStates) == 0 ? refined | ValueFacts.Owned : refined);
            }

            return;
        }

        if (!known)
        {
            return;
        }

        // The first test of the result drops the pending mark; a later one rules out the pin on this edge.
        var failed = facts.Has(ValueFacts.PinPending)
            ? facts & ~ValueFacts.PinPending
            : facts & ~(ValueFacts.Owned | ValueFacts.Released | ValueFacts.Escaped);
        state.SetOrForget(pin.Key, (failed & ValueFacts.PinStates) == 0 ? ValueFacts.None : failed);
    }
}
