using System.IO;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>Consumer builds that several tests read, each run once per test run.</summary>
public static class SharedBuilds
{
    public const string SarifFileName = "buggysim.sarif";

    /// <summary>BuggySim built against the package, with a SARIF 2.1 error log beside the project.</summary>
    public static ConsumerBuild BuggySim(PackageFixture fixture) =>
        fixture.Shared("buggysim", () =>
        {
            var consumer = SampleConsumers.BuggySim(fixture, "buggysim");
            var sarif = Path.Combine(consumer.Folder, SarifFileName);
            return new ConsumerBuild(consumer, consumer.Build($"-p:ErrorLog={sarif}%2Cversion=2.1"));
        });
}
