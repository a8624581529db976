using BenchmarkDotNet.Attributes;
using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Physical;

namespace MmuGuard.Benchmarks;

/// <summary>
/// The stage-2 fault path: each invoke faults 1024 guest frames in (snapshot, resolve, lock, retry check, install,
/// release) and then zaps them, so the next invoke faults again. Host pages are pre-faulted: only KVM's side is timed.
/// </summary>
[MemoryDiagnoser]
public class RuntimeFaultBenchmarks
{
    private const int Frames = 1024;

    private Vm _vm = null!;

    [GlobalSetup]
    public void Setup()
    {
        var memory = new PhysicalMemory(1 << 16);
        var mm = new AddressSpace(memory);
        var ram = mm.Mmap(Frames, VmaFlags.Normal, "guest ram");
        for (ulong i = 0; i < Frames; i++)
        {
            mm.FaultIn(ram.Start.AddPages(i));
        }

        var driverBlock = memory.Allocate(PhysicalMemory.MaxOrder, AllocationKind.NonCompound);
        var bar = mm.Mmap(Frames, VmaFlags.PfnMap | VmaFlags.Io, "gpu bar");
        for (ulong i = 0; i < Frames; i++)
        {
            mm.InsertPfn(bar.Start.AddPages(i), driverBlock.Add(i));
        }

        _vm = new Vm(mm);
        _vm.AddMemslot(new Gfn(0), Frames, ram.Start);
        _vm.AddMemslot(new Gfn(Frames), Frames, bar.Start);
    }

    /// <summary>Faults on anonymous guest RAM: GUP pins, installs, releases.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int FaultGuestRam() => FaultAll(0);

    /// <summary>Faults on a driver's PfnMap BAR: follow-pte, installs with no pin.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int FaultDriverBar() => FaultAll(Frames);

    private int FaultAll(ulong baseGfn)
    {
        var installed = 0;
        for (ulong i = 0; i < Frames; i++)
        {
            installed += _vm.HandleFault(new Gfn(baseGfn + i)) == FaultResult.Installed ? 1 : 0;
        }

        _vm.ZapAll();
        return installed;
    }
}
