using System.Collections.Generic;
using System.Linq;
using MmuGuard.Samples.Races;
using Xunit;

namespace MmuGuard.Races.Tests;

/// <summary>Each racy variant has a schedule that breaks an invariant; exploration finds it, and it replays.</summary>
[Collection(CoyoteCollection.Name)]
public sealed class RacyVariantTests
{
    private const uint Budget = 10_000;

    public static IEnumerable<object[]> RacyNames() => RaceScenarios.Racy.Select(s => new object[] { s.Name });

    [Theory]
    [MemberData(nameof(RacyNames))]
    public void Exploration_finds_the_race_within_the_budget(string name)
    {
        var report = Explorer.Explore(Racy(name), Budget);

        Assert.True(report.FoundRace, $"{name}: no violation in {report.Iterations} interleavings");
        Assert.NotNull(report.ReproducibleTrace);
    }

    [Theory]
    [MemberData(nameof(RacyNames))]
    public void The_found_schedule_replays_to_the_same_violation(string name)
    {
        var scenario = Racy(name);
        var report = Explorer.Explore(scenario, Budget);

        var schedule = Explorer.Replay(scenario, report.ReproducibleTrace!, out var violation);

        Assert.Equal(report.Violation, violation);
        Assert.Equal(report.FailingSchedule, schedule);
    }

    [Theory]
    [MemberData(nameof(RacyNames))]
    public void The_failing_schedule_interleaves_the_vcpu_and_the_host_cpu(string name)
    {
        var report = Explorer.Explore(Racy(name), Budget);

        var cpus = report.FailingSchedule.Select(step => step.Operation).Distinct().ToArray();
        Assert.Contains("vcpu0", cpus);
        Assert.Contains("cpu1 host", cpus);
        Assert.StartsWith("VIOLATION", report.FailingSchedule[^1].What);
    }

    [Fact]
    public void A_fixed_seed_finds_the_same_schedule_every_time()
    {
        var first = Explorer.Explore(Racy("racy-no-snapshot"), Budget);
        var second = Explorer.Explore(Racy("racy-no-snapshot"), Budget);

        Assert.Equal(first.ReproducibleTrace, second.ReproducibleTrace);
        Assert.Equal(first.Iterations, second.Iterations);
    }

    [Fact]
    public void A_stale_stage2_install_is_reported_as_a_coherence_violation()
    {
        var report = Explorer.Explore(Racy("racy-retry-outside-lock"), Budget);

        Assert.Contains("stage-2 maps gfn 0x100", report.Violation);
    }

    [Fact]
    public void A_hardware_field_without_reload_is_caught_while_the_vcpu_is_in_guest_mode()
    {
        var report = Explorer.Explore(Racy("racy-hardware-field-without-reload"), Budget);

        Assert.Contains("vmcs02.PostedInterruptDescriptor", report.Violation);
        Assert.Contains("consumed in guest mode", report.Violation);
    }

    [Fact]
    public void A_pfn_cache_used_after_its_lock_was_dropped_is_a_stale_cache_use()
    {
        var report = Explorer.Explore(Racy("racy-gpc-used-after-unlock"), Budget);

        Assert.Contains("StaleCacheUse", report.Violation);
    }

    private static RaceScenario Racy(string name) => RaceScenarios.Racy.Single(s => s.Name == name);
}
