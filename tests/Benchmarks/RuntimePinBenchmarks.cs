using BenchmarkDotNet.Attributes;
using MmuGuard.Physical;

namespace MmuGuard.Benchmarks;

/// <summary>The cost of the reference operations on the page descriptors, with the sanitizer attached and enabled.</summary>
[MemoryDiagnoser]
public class RuntimePinBenchmarks
{
    private PhysicalMemory _memory = null!;
    private Pfn _page;
    private Pfn _compoundTail;
    private Pfn _driverTail;

    [GlobalSetup]
    public void Setup()
    {
        _memory = new PhysicalMemory(1 << 16, new MmuGuard.Sanitizer.MmuSanitizer());
        _page = _memory.Allocate();
        _compoundTail = _memory.Allocate(4, AllocationKind.Compound).Add(5);
        _driverTail = _memory.Allocate(4, AllocationKind.NonCompound).Add(5);
    }

    /// <summary>An unconditional pin and its release on an order-0 page.</summary>
    [Benchmark(Baseline = true)]
    public void PinUnpin()
    {
        _memory.Pin(_page);
        _memory.Unpin(_page);
    }

    /// <summary>A successful try-pin and its release on a compound tail (the count lives on the head).</summary>
    [Benchmark]
    public void TryPinUnpinCompoundTail()
    {
        if (_memory.TryPin(_compoundTail))
        {
            _memory.Unpin(_compoundTail);
        }
    }

    /// <summary>A try-pin refused by a non-compound tail.</summary>
    [Benchmark]
    public bool TryPinRefused() => _memory.TryPin(_driverTail);

    /// <summary>A FOLL_PIN reference and its release on an order-0 page (the count moves by the pin-counting bias).</summary>
    [Benchmark]
    public void PinUserPageUnpin()
    {
        if (_memory.TryPinUserPage(_page))
        {
            _memory.UnpinUserPage(_page);
        }
    }

    /// <summary>A FOLL_PIN reference and its release through a compound tail (count and pin count on the head).</summary>
    [Benchmark]
    public void PinUserPageUnpinCompoundTail()
    {
        if (_memory.TryPinUserPage(_compoundTail))
        {
            _memory.UnpinUserPage(_compoundTail);
        }
    }

    /// <summary>A raw-page try-get refused by a compound tail, whose own count is 0.</summary>
    [Benchmark]
    public bool TryGetRawRefused() => _memory.TryGetRaw(_compoundTail);
}
