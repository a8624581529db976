namespace MmuGuard.Samples.Races.Scenarios;

/// <summary>What the host CPU does to the guest's pages while a vCPU works: the invalidating side of every race.</summary>
internal static class HostInvalidations
{
    public const string Cpu = "cpu1 host";

    /// <summary>The driver tears the GPU buffer down: munmap (the notifiers run), then the block goes back to the allocator.</summary>
    public static RaceOperation TearDownGpuBuffer { get; } = new(Cpu, world => world.Buffer.TearDown());

    /// <summary>Reclaim takes the guest RAM page, then the driver tears its buffer down.</summary>
    public static RaceOperation ReclaimThenTearDown { get; } = new(Cpu, world =>
    {
        world.ReclaimRamPage();
        world.Buffer.TearDown();
    });
}
