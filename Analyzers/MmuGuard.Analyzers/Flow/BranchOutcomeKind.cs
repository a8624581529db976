namespace MmuGuard.Analyzers.Flow;

/// <summary>What a bool value tells the flow core when a branch tests it: the proposition its <see cref="BranchOutcome.HoldsWhen"/> refers to.</summary>
internal enum BranchOutcomeKind
{
    /// <summary>Nothing known: both edges keep the state.</summary>
    Unknown,

    /// <summary>A constant; the other edge is infeasible.</summary>
    Constant,

    /// <summary>The result of a try-pin: the pinned values hold a pin exactly on the success edge.</summary>
    Pin,

    /// <summary>The result of a <c>[ChecksInvalidationRetry]</c> call.</summary>
    RetryCheck,

    /// <summary>
    /// A null or error-value test of a tracked value (the null or error edge holds no pin, as in a lowered
    /// <c>using</c>): <c>is null</c>, <c>== null</c>, <c>is { }</c>, an <c>[ErrorCheck]</c>, a comparison with an <c>[ErrorValue]</c>.
    /// </summary>
    NullCheck,

    /// <summary>
    /// Not a bool: the <c>int</c> or pfn result of a try-pin whose success is a result value or the absence of an
    /// error. Comparisons and error checks of it make <see cref="Pin"/> or <see cref="PinFailure"/> outcomes.
    /// </summary>
    PinResult,

    /// <summary>A test of a try-pin's result that proves failure on one edge and nothing on the other.</summary>
    PinFailure,

    /// <summary>
    /// A <c>[NotRefcountedCheck]</c> of a tracked value: where it holds, the value has no refcounted page (it holds no
    /// reference, and a try-pin whose result it is did not pin); the other edge proves only that it has one.
    /// </summary>
    NotRefcounted,

    /// <summary>
    /// A zero test of a value correlated with a decided outcome (<c>hva == 0</c> after <c>kmap()</c> on one side of
    /// <c>pfn_valid()</c> and <c>memremap()</c> on the other): the <see cref="BranchOutcome.HoldsWhen"/> edge proves
    /// that <see cref="BranchOutcome.Source"/> was decided <see cref="BranchOutcome.ImpliedValue"/>; the other edge proves nothing.
    /// </summary>
    Implication,
}
