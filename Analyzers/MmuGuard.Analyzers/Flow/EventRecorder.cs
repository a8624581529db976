using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// Records the question points of one body for the rules. Only the last pass over the fixpoint states records
/// (<see cref="Recording"/>), and an event's location and name are only built then, since they allocate.
/// </summary>
internal sealed class EventRecorder
{
    private readonly FlowEventSink _sink;

    public EventRecorder(FlowEventSink sink)
    {
        _sink = sink;
    }

    /// <summary>Set for the last pass, once states are at their fixpoint.</summary>
    public bool Recording { get; set; }

    /// <summary>Records an event at <paramref name="operation"/>, naming the value by its path or its expression.</summary>
    public void Add(FlowEventKind kind, ValueFacts facts, IOperation operation, AbstractValue value, ISymbol? target, Contract contract)
    {
        if (Recording)
        {
            _sink.Add(new FlowEvent(kind, facts, operation.Syntax.GetLocation(), NameOf(operation, value), target, contract));
        }
    }

    /// <summary>Records an event at a location of its own (a leak at an exit, with the leaked value's declaration as <paramref name="related"/>).</summary>
    public void Add(FlowEventKind kind, ValueFacts facts, Location location, string name, ISymbol? target, Contract contract, Location? related = null)
    {
        if (Recording)
        {
            _sink.Add(new FlowEvent(kind, facts, location, name, target, contract, related));
        }
    }

    private static string NameOf(IOperation operation, AbstractValue value)
    {
        if (value.Key is { } key)
        {
            return key.ToString();
        }

        var syntax = operation;
        while (syntax is Microsoft.CodeAnalysis.Operations.IConversionOperation conversion)
        {
            syntax = conversion.Operand;
        }

        return syntax.Syntax.ToString();
    }
}
