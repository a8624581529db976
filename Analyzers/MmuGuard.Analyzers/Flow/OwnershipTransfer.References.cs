namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The ownership transfer of one reference under two names: a <c>[MovesReferenceToResult]</c> argument (a page
/// passed to <c>PageToPfn</c>) hands its facts, and its obligation, to the call's result, as <c>var b = a;</c> moves
/// tracking from <c>a</c> to <c>b</c>.
/// </summary>
internal sealed partial class OwnershipTransfer
{
    /// <summary>The facts the current call's result takes over from its <c>[MovesReferenceToResult]</c> argument.</summary>
    private ValueFacts _movedToResult;

    /// <summary>
    /// Moves <paramref name="facts"/> of the argument <paramref name="value"/> to the call's result: the argument's
    /// variable becomes unknown (its pin is the result's now), a temporary owes nothing more, a member keeps its
    /// facts. Returns the argument's facts after the call.
    /// </summary>
    private ValueFacts MoveToResult(AbstractValue value, ValueFacts facts, FlowState state)
    {
        _movedToResult |= facts & ~ValueFacts.PinPending;
        if (value.Key is { IsVariable: true } moved)
        {
            Forget(moved, state);
            return ValueFacts.None;
        }

        // A member keeps what it holds (reading it copied); a temporary's pin is the result's now.
        return value.Key is null ? ValueFacts.None : facts;
    }
}
