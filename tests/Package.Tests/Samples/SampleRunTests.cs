using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Samples;

/// <summary>The README's main job and the buggy sample run from the repository and say what they should.</summary>
[Collection(PackageCollection.Name)]
public sealed class SampleRunTests
{
    private readonly PackageFixture _fixture;

    public SampleRunTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Main_job_story_ends_with_the_summary_and_a_silent_sanitizer()
    {
        var run = SampleRuns.NestedVirt(_fixture).EnsureSuccess();

        Assert.Contains("refused: RemappedMemory", run.Output);
        Assert.Contains("Summary", run.Output);
        Assert.Contains("Sanitizer: no findings.", run.Output);
    }

    [Fact]
    public void Main_job_analyzer_reports_match_the_markers_of_both_samples()
    {
        var run = SampleRuns.NestedVirt(_fixture).EnsureSuccess();

        Assert.Contains("== Analyzer report: BuggySim", run.Output);
        Assert.Contains("== Analyzer report: NestedVirt", run.Output);
        Assert.Equal(2, Regex.Matches(run.Output, "=> matches the source markers exactly").Count);
        Assert.DoesNotContain("DOES NOT match", run.Output);
    }

    [Fact]
    public void Main_job_trace_has_one_track_per_pfn_and_per_mapping()
    {
        SampleRuns.NestedVirt(_fixture).EnsureSuccess();
        using var trace = JsonDocument.Parse(File.ReadAllText(SampleRuns.TracePath(_fixture)));

        var tracks = trace.RootElement.GetProperty("traceEvents").EnumerateArray()
            .Where(e => e.GetProperty("name").GetString() == "thread_name")
            .Select(e => e.GetProperty("args").GetProperty("name").GetString()!)
            .ToList();

        Assert.Contains(tracks, t => t.StartsWith("pfn 0x", System.StringComparison.Ordinal));
        Assert.Contains("vmcs02.ApicAccessPage", tracks);
        Assert.Contains("vmcs02.VirtualApicPage", tracks);
        Assert.Contains("vmcs02.PostedInterruptDescriptor", tracks);
        Assert.Equal(tracks.Count, tracks.Distinct().Count());
    }

    [Fact]
    public void BuggySim_run_shows_the_sanitizer_catching_every_bug_that_executes()
    {
        var run = SampleRuns.BuggySim(_fixture).EnsureSuccess();

        var tally = Regex.Match(run.Output, @"The sanitizer caught (?<caught>\d+) of the (?<ran>\d+) bugs that run");
        Assert.True(tally.Success, run.Describe());
        Assert.NotEqual("0", tally.Groups["ran"].Value);
        Assert.Equal(tally.Groups["ran"].Value, tally.Groups["caught"].Value);
    }

    [Fact]
    public void Main_job_rejects_an_unknown_argument_naming_it_and_showing_the_usage()
    {
        var run = SampleRuns.NestedVirtWith(_fixture, "--tarce", "run.json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: unknown argument '--tarce'", run.Output);
        Assert.Contains("usage: dotnet run --project Samples/NestedVirt", run.Output);
    }
}
