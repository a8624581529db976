using System.Collections.Generic;
using MmuGuard.Samples.Races.Scenarios;

namespace MmuGuard.Samples.Races;

/// <summary>The scenarios this sample explores: KVM's correct paths, and BuggySim's racy variants of them.</summary>
public static class RaceScenarios
{
    /// <summary>The correct scenarios: no interleaving may break an invariant.</summary>
    public static IReadOnlyList<RaceScenario> Correct { get; } = new[]
    {
        CorrectScenarios.FaultVsInvalidation,
        CorrectScenarios.GpcRefreshVsInvalidation,
        CorrectScenarios.NestedEntryVsInvalidation,
        RacyVariants.HandWrittenFault,
    };

    /// <summary>The racy variants: each has a schedule that breaks an invariant.</summary>
    public static IReadOnlyList<RaceScenario> Racy { get; } = new[]
    {
        RacyVariants.NoSnapshot,
        RacyVariants.RetryOutsideLock,
        RacyVariants.InstallOnRetryEdge,
        RacyVariants.HardwareFieldWithoutReload,
        RacyVariants.GpcUsedAfterUnlock,
    };

    /// <summary>Every scenario, correct ones first.</summary>
    public static IEnumerable<RaceScenario> All
    {
        get
        {
            foreach (var scenario in Correct)
            {
                yield return scenario;
            }

            foreach (var scenario in Racy)
            {
                yield return scenario;
            }
        }
    }
}
