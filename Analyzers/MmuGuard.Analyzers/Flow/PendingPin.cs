namespace MmuGuard.Analyzers.Flow;

/// <summary>A value a try-pin call pins when its bool result equals <see cref="PinnedWhen"/>.</summary>
internal readonly struct PendingPin
{
    public PendingPin(object key, bool pinnedWhen)
    {
        Key = key;
        PinnedWhen = pinnedWhen;
    }

    public object Key { get; }

    public bool PinnedWhen { get; }
}
