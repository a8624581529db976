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

    /// <summary>A null test of a tracked reference (the null edge holds no pin, as in a lowered <c>using</c>).</summary>
    NullCheck,
}
