namespace MmuGuard.Host;

/// <summary>A secondary MMU subscribed to an address space's invalidations (<c>struct mmu_notifier</c>).</summary>
public interface IMmuNotifier
{
    /// <summary>Runs before the host changes or removes mappings in <paramref name="range"/>: zap what maps it.</summary>
    void InvalidateRangeStart(HostRange range);

    /// <summary>Runs after the change in <paramref name="range"/> is complete.</summary>
    void InvalidateRangeEnd(HostRange range);
}
