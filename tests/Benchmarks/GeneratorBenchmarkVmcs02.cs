using MmuGuard.Physical;

namespace MmuGuard.Benchmarks;

/// <summary>A vmcs02 page set whose bookkeeping the generator writes into this benchmark assembly.</summary>
public sealed partial class GeneratorBenchmarkVmcs02
{
    [OutOfBandMapping] private Pfn _apicAccessPage;
    [OutOfBandMapping] private Pfn _virtualApicPage;
    [NotifierCoveredMapping] private Pfn _stealTime;
}
