using System.IO;
using System.Linq;
using System.Text.Json;
using MmuGuard.Samples.Races;
using Xunit;

namespace MmuGuard.Races.Tests;

/// <summary>The failing schedule as a Perfetto-readable Chrome trace: one track per CPU, one slice per step.</summary>
[Collection(CoyoteCollection.Name)]
public sealed class ChromeTraceTests
{
    [Fact]
    public void A_failing_schedule_becomes_one_track_per_cpu_with_one_slice_per_step()
    {
        var report = Explorer.Explore(RaceScenarios.Racy.First(), 10_000);
        var path = Path.Combine(Path.GetTempPath(), "mmuguard-race-" + System.Guid.NewGuid().ToString("N") + ".json");
        try
        {
            ChromeTrace.Write(path, report);
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var events = json.RootElement.GetProperty("traceEvents").EnumerateArray().ToArray();

            var tracks = events.Where(e => e.GetProperty("name").GetString() == "thread_name")
                .Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToArray();
            Assert.Equal(new[] { "vcpu0", "cpu1 host", "all CPUs done" }.Intersect(report.FailingSchedule.Select(s => s.Operation)).OrderBy(t => t), tracks.OrderBy(t => t));
            Assert.Equal(report.FailingSchedule.Count, events.Count(e => e.GetProperty("ph").GetString() == "X"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
