namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// What the flow core knows about one evaluated expression: the tracked variable it reads (if any), its facts, and
/// the branch outcome it carries when it is a bool (a try-pin or retry-check result).
/// </summary>
internal readonly struct AbstractValue
{
    public AbstractValue(object? key, ValueFacts facts, BranchOutcome? outcome)
    {
        Key = key;
        Facts = facts;
        Outcome = outcome;
    }

    /// <summary>The tracked local, parameter or field this value was read from, or <see langword="null"/> for a temporary.</summary>
    public object? Key { get; }

    public ValueFacts Facts { get; }

    public BranchOutcome? Outcome { get; }

    public AbstractValue WithOutcome(BranchOutcome? outcome) => new(Key, Facts, outcome);
}
