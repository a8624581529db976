using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// One ownership rule (MMU0001–MMU0009): judges the events the shared flow analysis records for a body. Rules are
/// stateless; <see cref="Rules.OwnershipFlowAnalyzer"/> runs the flow once per body and asks every rule.
/// </summary>
internal abstract class FlowRule
{
    private protected FlowRule(DiagnosticDescriptor descriptor)
    {
        Descriptor = descriptor;
    }

    /// <summary>The diagnostic this rule reports.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The rule's diagnostic for one event, or <see langword="null"/> when the facts there are fine.</summary>
    public abstract Diagnostic? Judge(FlowEvent flowEvent);

    private protected Diagnostic Report(FlowEvent flowEvent, params object[] messageArguments) =>
        Diagnostic.Create(Descriptor, flowEvent.Location, messageArguments);

    /// <summary>A diagnostic that also hands the code fix what the rule knows, as properties each rule page documents.</summary>
    private protected Diagnostic Report(FlowEvent flowEvent, ImmutableDictionary<string, string?> facts, params object[] messageArguments) =>
        Diagnostic.Create(Descriptor, flowEvent.Location, flowEvent.Related is { } related ? new[] { related } : null, facts, messageArguments);
}
