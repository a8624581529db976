namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>A body run with a hypothetical contract on one parameter, read against the run without it.</summary>
internal readonly struct HypothesisOutcome
{
    public static readonly HypothesisOutcome Contradicted = new(HypothesisUse.None, isConsistent: false);

    public HypothesisOutcome(HypothesisUse uses)
        : this(uses, isConsistent: true)
    {
    }

    private HypothesisOutcome(HypothesisUse uses, bool isConsistent)
    {
        Uses = uses;
        IsConsistent = isConsistent;
    }

    /// <summary>The parameter's uses whose facts the contract changed.</summary>
    public HypothesisUse Uses { get; }

    /// <summary>No rule reports anything the run without the contract does not: no path contradicts it.</summary>
    public bool IsConsistent { get; }

    public bool Reaches(HypothesisUse use) => (Uses & use) != 0;
}
