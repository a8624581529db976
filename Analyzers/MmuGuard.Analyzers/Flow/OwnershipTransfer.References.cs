namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The ownership transfer of one reference under two names: a <c>[MovesReferenceToResult]</c> argument (a page
/// passed to <c>PageToPfn</c>) and the call's result are one value, as <c>var b = a;</c> makes <c>b</c> a second name
/// of <c>a</c>'s value: the result reads as the argument's variable, so storing it aliases the two.
/// </summary>
internal sealed partial class OwnershipTransfer
{
    /// <summary>The facts the current call's result takes over from a <c>[MovesReferenceToResult]</c> temporary or member.</summary>
    private ValueFacts _movedToResult;

    /// <summary>The variable whose value the current call's result is, under another name.</summary>
    private AccessPath? _movedFrom;

    /// <summary>
    /// The call's result is the argument <paramref name="value"/>'s reference: a variable's value gets the result as
    /// a second name (it keeps its facts, shared with the result); a temporary's pin is the result's now; a member
    /// keeps its facts and the result takes a copy of them. Returns the argument's facts after the call.
    /// </summary>
    private ValueFacts MoveToResult(AbstractValue value, ValueFacts facts)
    {
        if (value.Key is { IsVariable: true } moved && _movedFrom is null)
        {
            _movedFrom = moved;
            return facts;
        }

        _movedToResult |= facts & ~ValueFacts.PinPending;

        // A member keeps what it holds (reading it copied); a temporary's pin is the result's now.
        return value.Key is null ? ValueFacts.None : facts;
    }
}
