using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0005: a pin owned by the body is neither released, handed to an owner nor returned as pinned on some path.</summary>
internal sealed class PinLeakRule : FlowRule
{
    /// <summary>The property saying (<c>true</c>/<c>false</c>) whether some other path hands the pin to an owner (a <c>[Pinned]</c> member, <c>[TakesPinOwnership]</c>, a pinned return).</summary>
    public const string HandedOverProperty = "HandedOverOnSomePath";

    /// <summary>The property saying (<c>true</c>/<c>false</c>) whether some other path releases the pin.</summary>
    public const string ReleasedProperty = "ReleasedOnSomePath";

    /// <summary>Creates the rule.</summary>
    public PinLeakRule()
        : base(Descriptors.PinLeak)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent)
    {
        if (flowEvent.Kind != FlowEventKind.ObligationEnds || !flowEvent.Facts.Has(ValueFacts.Owned))
        {
            return null;
        }

        var facts = ImmutableDictionary<string, string?>.Empty
            .Add(HandedOverProperty, Flag(flowEvent.Facts.Has(ValueFacts.Escaped)))
            .Add(ReleasedProperty, Flag(flowEvent.Facts.Has(ValueFacts.Released)));
        return Report(flowEvent, facts, flowEvent.ValueName);
    }

    private static string Flag(bool value) => value ? "true" : "false";
}
