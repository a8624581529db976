using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace MmuGuard.Samples.Races;

/// <summary>
/// Writes a schedule as Chrome trace-event JSON, which Perfetto (https://ui.perfetto.dev) opens: one track (thread)
/// per CPU, one slice per step, in schedule order, so the interleaving reads left to right.
/// </summary>
public static class ChromeTrace
{
    // Steps are logical, not timed: each gets a fixed width so the order is what the picture shows.
    private const int StepMicroseconds = 10;

    /// <summary>Writes <paramref name="report"/>'s failing schedule to <paramref name="path"/>.</summary>
    public static void Write(string path, ExplorationReport report) => Write(path, new[] { report });

    /// <summary>Writes each report's failing schedule to <paramref name="path"/>, one process per scenario.</summary>
    public static void Write(string path, IReadOnlyList<ExplorationReport> reports)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartArray("traceEvents");
        for (var pid = 0; pid < reports.Count; pid++)
        {
            WriteSchedule(json, pid, reports[pid]);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSchedule(Utf8JsonWriter json, int pid, ExplorationReport report)
    {
        var tracks = new Dictionary<string, int>();
        Metadata(json, "process_name", pid, 0, "MmuGuard race: " + report.Scenario.Name);
        foreach (var step in report.FailingSchedule)
        {
            if (!tracks.TryGetValue(step.Operation, out var tid))
            {
                tid = tracks.Count + 1;
                tracks.Add(step.Operation, tid);
                Metadata(json, "thread_name", pid, tid, step.Operation);
            }

            json.WriteStartObject();
            json.WriteString("name", step.What);
            json.WriteString("ph", "X");
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", tid);
            json.WriteNumber("ts", step.Index * StepMicroseconds);
            json.WriteNumber("dur", StepMicroseconds);
            json.WriteStartObject("args");
            json.WriteNumber("step", step.Index);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    private static void Metadata(Utf8JsonWriter json, string name, int pid, int tid, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        json.WriteString("name", value);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
