using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// One question point the flow core found in a body, with the value's facts joined over every path reaching it;
/// each rule decides from these whether to report.
/// </summary>
internal readonly struct FlowEvent
{
    public FlowEvent(FlowEventKind kind, ValueFacts facts, Location location, string valueName, ISymbol? target, Contract targetContract, Location? related = null)
    {
        Related = related;
        Kind = kind;
        Facts = facts;
        Location = location;
        ValueName = valueName;
        Target = target;
        TargetContract = targetContract;
    }

    public FlowEventKind Kind { get; }

    /// <summary>The value's facts, joined over every path (and every visit) reaching this point.</summary>
    public ValueFacts Facts { get; }

    /// <summary>Where a diagnostic about this point goes (see docs/design/flow.md, "Where each rule reports").</summary>
    public Location Location { get; }

    /// <summary>The local, parameter or field name, or the expression text for a temporary.</summary>
    public string ValueName { get; }

    /// <summary>The method called, or the member stored into.</summary>
    public ISymbol? Target { get; }

    /// <summary>The contract of <see cref="Target"/> (for a store: of the member).</summary>
    public Contract TargetContract { get; }

    /// <summary>Where the value this event is about was acquired or declared, when that is not <see cref="Location"/> (a leak reported at an exit).</summary>
    public Location? Related { get; }

    public string TargetName => Target?.Name ?? string.Empty;

    public FlowEvent WithFacts(ValueFacts facts) => new(Kind, facts, Location, ValueName, Target, TargetContract, Related);
}
