namespace MmuGuard.Mapping;

/// <summary>
/// An owner of notifier-covered mappings that an <see cref="ICoveredPageSource"/> calls back on invalidation (the
/// hook KVM's <c>gfn_to_pfn_cache_invalidate_start</c> runs). The bookkeeping generator implements it.
/// </summary>
public interface INotifierCoveredMappingOwner
{
    /// <summary>Marks mapping <paramref name="slot"/> invalid; the next user must refresh it before use.</summary>
    void InvalidateCoveredMapping(int slot);
}
