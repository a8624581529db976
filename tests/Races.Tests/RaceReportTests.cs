using System.IO;
using MmuGuard.Samples.Races;
using Xunit;

namespace MmuGuard.Races.Tests;

/// <summary>NestedVirt's <c>--explore</c> report: interleavings per scenario and the races found in the racy variants.</summary>
[Collection(CoyoteCollection.Name)]
public sealed class RaceReportTests
{
    [Fact]
    public void The_report_counts_the_racy_variants_caught_and_passes_when_the_correct_scenarios_stay_clean()
    {
        var output = new StringWriter();

        var clean = RaceReport.Run(output, 50, tracePath: null);

        Assert.True(clean);
        Assert.Contains($"races found in {RaceScenarios.Racy.Count} of {RaceScenarios.Racy.Count} racy variants", output.ToString());
        Assert.Contains("Correct scenarios: no invariant broken", output.ToString());
    }
}
