using MmuGuard.Physical;

namespace MmuGuard.Samples.BuggySim;

/// <summary>
/// What the CPU reads while L2 runs: the host physical addresses written into vmcs02 fields. MMU notifiers never
/// reach these, so whatever is written here must stay pinned for as long as it is there.
/// </summary>
internal sealed class HardwareVmcs02
{
    private readonly PhysicalMemory _memory;
    private readonly MapperId _mapper;
    private bool _hasApicAccessPage;
    private Pfn _apicAccessPage;

    public HardwareVmcs02(PhysicalMemory memory)
    {
        _memory = memory;
        _mapper = memory.RegisterMapper("vmcs02 APIC-access address (hardware)");
    }

    /// <summary>Writes the APIC-access address field; the memory model records that hardware now points at the frame.</summary>
    public void WriteApicAccessAddress([OutOfBandSink] Pfn pfn)
    {
        ClearApicAccessAddress();
        _memory.AddMapping(pfn, _mapper);
        _apicAccessPage = pfn;
        _hasApicAccessPage = true;
    }

    /// <summary>Clears the field, as a nested exit does.</summary>
    public void ClearApicAccessAddress()
    {
        if (_hasApicAccessPage)
        {
            _memory.RemoveMapping(_apicAccessPage, _mapper);
            _hasApicAccessPage = false;
        }
    }
}
