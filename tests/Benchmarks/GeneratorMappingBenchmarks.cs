using BenchmarkDotNet.Attributes;
using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Physical;

namespace MmuGuard.Benchmarks;

/// <summary>
/// The generated members on their hot paths, against the real <see cref="Vm"/>: map + unmap of a pinned member
/// (the ledger is created by the setup, so steady state allocates nothing), the refusal of a non-refcounted page,
/// a PFN-cache refresh, and a validity check.
/// </summary>
[MemoryDiagnoser]
public class GeneratorMappingBenchmarks
{
    private readonly GeneratorBenchmarkVmcs02 _pages = new();
    private Vm _vm = null!;
    private Gfn _ram;
    private Gfn _driverTail;

    [GlobalSetup]
    public void Setup()
    {
        var memory = new PhysicalMemory(1 << 12, new MmuGuard.Sanitizer.MmuSanitizer());
        var mm = new AddressSpace(memory, "vmm");
        var ram = mm.Mmap(16, VmaFlags.Normal, "guest ram");
        _vm = new Vm(mm, "vm0");
        _vm.AddMemslot(new Gfn(0), 16, ram.Start);
        var block = memory.Allocate(2, AllocationKind.NonCompound);
        var bar = mm.Mmap(4, VmaFlags.PfnMap | VmaFlags.Io, "gpu bar");
        for (ulong i = 0; i < 4; i++)
        {
            mm.InsertPfn(bar.Start.AddPages(i), block.Add(i));
        }

        _vm.AddMemslot(new Gfn(0x100), 4, bar.Start);
        _ram = new Gfn(3);
        _driverTail = new Gfn(0x101);
        _pages.MapApicAccessPage(_vm, _ram);
        _pages.UnmapApicAccessPage();
        _pages.RefreshStealTime(_vm, _ram);
    }

    [Benchmark(Baseline = true, Description = "MapApicAccessPage + UnmapApicAccessPage (Vm pin and release)")]
    public bool MapUnmap()
    {
        _pages.MapApicAccessPage(_vm, _ram);
        return _pages.UnmapApicAccessPage();
    }

    [Benchmark(Description = "MapVirtualApicPage refused (non-refcounted driver page)")]
    public bool MapRefused() => _pages.MapVirtualApicPage(_vm, _driverTail).IsMapped;

    [Benchmark(Description = "RefreshStealTime (snapshot, resolve, retry check, track)")]
    public bool Refresh() => _pages.RefreshStealTime(_vm, _ram).IsMapped;

    [Benchmark(Description = "TryGetStealTime while valid")]
    public bool TryGet() => _pages.TryGetStealTime(out _);
}
