namespace MmuGuard.Analyzers.Flow;

/// <summary>A value a try-pin call pins when its bool result equals <see cref="PinnedWhen"/>.</summary>
internal readonly struct PendingPin
{
    public PendingPin(AccessPath key, bool pinnedWhen)
    {
        Key = key;
        PinnedWhen = pinnedWhen;
    }

    public AccessPath Key { get; }

    public bool PinnedWhen { get; }
}
