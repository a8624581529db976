using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>MMU0002: an unconditional pin of a page that may be non-refcounted (the CVE-2021-22543 shape).</summary>
internal sealed class UnconditionalPinRule : FlowRule
{
    /// <summary>The property naming how the call pins: <see cref="PinnedArgument"/> or <see cref="PinnedReceiver"/>.</summary>
    public const string PinKindProperty = "PinKind";

    /// <summary>The call pins the value passed to its <c>[AcquiresPin]</c> parameter (<c>pages.Get(pfn)</c>).</summary>
    public const string PinnedArgument = "Argument";

    /// <summary>The call pins its receiver (<c>[AcquiresPin]</c> on the method: <c>page.Get()</c>).</summary>
    public const string PinnedReceiver = "Receiver";

    private static readonly ImmutableDictionary<string, string?> ArgumentFacts =
        ImmutableDictionary<string, string?>.Empty.Add(PinKindProperty, PinnedArgument);

    private static readonly ImmutableDictionary<string, string?> ReceiverFacts =
        ImmutableDictionary<string, string?>.Empty.Add(PinKindProperty, PinnedReceiver);

    /// <summary>Creates the rule.</summary>
    public UnconditionalPinRule()
        : base(Descriptors.UnconditionalPinOfMaybeNonRefcounted)
    {
    }

    public override Diagnostic? Judge(FlowEvent flowEvent) =>
        flowEvent.Kind == FlowEventKind.UnconditionalPin && flowEvent.Facts.Has(ValueFacts.MayBeNonRefcounted)
            ? Report(flowEvent, IsReceiverPin(flowEvent) ? ReceiverFacts : ArgumentFacts, flowEvent.ValueName, flowEvent.TargetName)
            : null;

    /// <summary>
    /// The flow core reports an argument pin at the argument's expression and a receiver pin at the receiver, so
    /// the syntax at the event's location tells them apart.
    /// </summary>
    private static bool IsReceiverPin(FlowEvent flowEvent)
    {
        var location = flowEvent.Location;
        var node = location.SourceTree?.GetRoot().FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        var argument = node?.FirstAncestorOrSelf<ArgumentSyntax>();
        return argument is null || argument.Expression.Span != location.SourceSpan;
    }
}
