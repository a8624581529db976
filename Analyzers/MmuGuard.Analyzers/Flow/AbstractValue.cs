namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// What the flow core knows about one evaluated expression: the tracked location it reads (if any), its facts, and
/// the branch outcome it carries when it is a bool (a try-pin or retry-check result, a null test).
/// </summary>
internal readonly struct AbstractValue
{
    public AbstractValue(AccessPath? key, ValueFacts facts, BranchOutcome? outcome)
    {
        Key = key;
        Facts = facts;
        Outcome = outcome;
    }

    /// <summary>The tracked location this value was read from, or <see langword="null"/> for a temporary.</summary>
    public AccessPath? Key { get; }

    public ValueFacts Facts { get; }

    public BranchOutcome? Outcome { get; }
}
