using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace MmuGuard.Samples.NestedVirt.Tracing;

/// <summary>
/// Records the story as Chrome trace events (the JSON that Perfetto and chrome://tracing open): one track per PFN
/// and one per mapping, instants for operations and spans for the time a mapping is live. Time is the story's step
/// counter (one step = 1 ms), so the same run always gives the same file.
/// </summary>
internal sealed class TraceRecorder
{
    private const int ProcessId = 1;
    private const long StepMicroseconds = 1000;

    private readonly Dictionary<string, int> _tracks = new(StringComparer.Ordinal);
    private readonly List<TraceEvent> _events = new();
    private readonly Dictionary<string, (string Name, long Start)> _open = new(StringComparer.Ordinal);
    private long _step;

    /// <summary>Moves the clock to the next story step.</summary>
    public void NextStep() => _step++;

    /// <summary>A point-in-time operation on <paramref name="track"/> (e.g. <c>pin</c> on a PFN's track).</summary>
    public void Instant(string track, string name, string detail) =>
        _events.Add(new TraceEvent(name, "i", TrackId(track), Now(), 0, detail));

    /// <summary>Opens a span on <paramref name="track"/>: the mapping it names is live from now.</summary>
    public void Begin(string track, string name)
    {
        TrackId(track);
        if (_open.ContainsKey(track))
        {
            throw new InvalidOperationException($"Track '{track}' already has an open span '{_open[track].Name}'.");
        }

        _open[track] = (name, Now());
    }

    /// <summary>Closes the open span on <paramref name="track"/>, with why it ended.</summary>
    public void End(string track, string detail)
    {
        if (!_open.Remove(track, out var span))
        {
            throw new InvalidOperationException($"Track '{track}' has no open span to end.");
        }

        _events.Add(new TraceEvent(span.Name, "X", TrackId(track), span.Start, Math.Max(Now() - span.Start, StepMicroseconds / 2), detail));
    }

    /// <summary>Writes the trace-event JSON; spans still open are closed at the end of the run.</summary>
    public void WriteTo(string path)
    {
        foreach (var track in new List<string>(_open.Keys))
        {
            End(track, "still live when the run ended");
        }

        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ms");
        json.WriteStartArray("traceEvents");
        WriteMetadata(json, "process_name", 0, args => args.WriteString("name", "NestedVirt mini-KVM"));
        foreach (var (name, id) in _tracks)
        {
            WriteMetadata(json, "thread_name", id, args => args.WriteString("name", name));
            WriteMetadata(json, "thread_sort_index", id, args => args.WriteNumber("sort_index", id));
        }

        foreach (var e in _events)
        {
            json.WriteStartObject();
            json.WriteString("name", e.Name);
            json.WriteString("ph", e.Phase);
            json.WriteNumber("pid", ProcessId);
            json.WriteNumber("tid", e.Track);
            json.WriteNumber("ts", e.Timestamp);
            if (e.Phase == "X")
            {
                json.WriteNumber("dur", e.Duration);
            }
            else
            {
                json.WriteString("s", "t");
            }

            json.WriteStartObject("args");
            json.WriteString("detail", e.Detail);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private long Now() => _step * StepMicroseconds;

    private int TrackId(string track)
    {
        if (!_tracks.TryGetValue(track, out var id))
        {
            id = _tracks.Count + 1;
            _tracks.Add(track, id);
        }

        return id;
    }

    /// <summary>
    /// A metadata event (<c>"ph": "M"</c>): names or orders a process or track for the viewer. Races' <c>ChromeTrace</c>
    /// writes the same shape; it stays apart because the package's consumer test builds this sample from the package
    /// alone, without the Races project.
    /// </summary>
    private static void WriteMetadata(Utf8JsonWriter json, string name, int track, Action<Utf8JsonWriter> writeArgs)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", ProcessId);
        json.WriteNumber("tid", track);
        json.WriteStartObject("args");
        writeArgs(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
