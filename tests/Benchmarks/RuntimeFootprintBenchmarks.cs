using BenchmarkDotNet.Attributes;
using MmuGuard.Physical;

namespace MmuGuard.Benchmarks;

/// <summary>
/// Bytes per page frame: creates 16 Mi frames (64 GiB of 4 KiB pages). The "Allocated" column divided by
/// <see cref="Frames"/> is the descriptor cost per frame.
/// </summary>
[MemoryDiagnoser]
public class RuntimeFootprintBenchmarks
{
    /// <summary>16 Mi frames.</summary>
    public const int Frames = 1 << 24;

    [Benchmark]
    public long CreateSixteenMiFrames() => new PhysicalMemory(Frames).FreePageCount;
}
