using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// Collects the events of one body's analysis; two events of one kind about one value at one location (a finally block analysed
/// for normal and exception entries, a local leaking at exit and at an overwrite) merge into one whose facts are
/// the union, which is again "on some path".
/// </summary>
internal sealed class FlowEventSink
{
    private readonly List<FlowEvent> _events = new();
    private readonly Dictionary<(FlowEventKind Kind, SyntaxTree? Tree, TextSpan Span, string Name), int> _index = new();

    public void Add(FlowEvent flowEvent)
    {
        var key = (flowEvent.Kind, flowEvent.Location.SourceTree, flowEvent.Location.SourceSpan, flowEvent.ValueName);
        if (_index.TryGetValue(key, out var existing))
        {
            _events[existing] = _events[existing].WithFacts(_events[existing].Facts | flowEvent.Facts);
            return;
        }

        _index[key] = _events.Count;
        _events.Add(flowEvent);
    }

    public ImmutableArray<FlowEvent> ToImmutable() => _events.ToImmutableArray();
}
