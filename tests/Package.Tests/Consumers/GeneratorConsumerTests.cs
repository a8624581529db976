using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Consumers;

/// <summary>The packed generator writes bookkeeping in a consumer, and that bookkeeping runs correctly.</summary>
[Collection(PackageCollection.Name)]
public sealed class GeneratorConsumerTests
{
    private readonly PackageFixture _fixture;

    public GeneratorConsumerTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Generated_map_pins_guest_ram_refuses_a_driver_page_behind_a_pfnmap_vma_and_unmaps()
    {
        var consumer = _fixture.CreateConsumer("generator-run")
            .WriteFile("NestedPages.cs", ConsumerSources.ControlBlockOwner)
            .WriteFile("Program.cs", ConsumerSources.GeneratedBookkeepingProgram);
        consumer.Build().EnsureSuccess();

        var run = consumer.Run().EnsureSuccess();

        Assert.Matches(@"map ram: mapped pfn 0x[0-9a-f]+\r?\n", run.Output);
        // Since 6.13 kvm_vcpu_map refuses VM_PFNMAP memory (-EINVAL) whatever its refcount (hva_to_pfn_remapped).
        Assert.Contains("map bar: refused: RemappedMemory", run.Output);
        Assert.Contains("still mapped: True, live pins: 1", run.Output);
        Assert.Contains("unmap: True", run.Output);
        Assert.Contains("live pins: 0, vm pins: 0", run.Output);
        Assert.Contains("findings: 0", run.Output);
    }
}
