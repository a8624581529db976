namespace MmuGuard.Samples.NestedVirt.Tracing;

/// <summary>One Chrome trace event: an instant (<c>"i"</c>) or a complete span (<c>"X"</c>) on a track.</summary>
/// <param name="Name">What happened, as the viewer labels it.</param>
/// <param name="Phase">The trace-event phase: <c>"i"</c> or <c>"X"</c>.</param>
/// <param name="Track">The track (thread id) it belongs to.</param>
/// <param name="Timestamp">Microseconds from the start of the run.</param>
/// <param name="Duration">The span's length in microseconds; 0 for an instant.</param>
/// <param name="Detail">A sentence shown in the viewer's details pane.</param>
internal readonly record struct TraceEvent(string Name, string Phase, int Track, long Timestamp, long Duration, string Detail);
