namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// A place state flows to: a block, entered either on a normal path or on an exception path. Finally blocks are
/// analysed once per kind of entry, so what an exception path carries never leaks into the code after the try.
/// </summary>
internal readonly struct FlowTarget
{
    public FlowTarget(int ordinal, bool exceptional)
    {
        Ordinal = ordinal;
        Exceptional = exceptional;
    }

    public int Ordinal { get; }

    public bool Exceptional { get; }

    public int Index => (Ordinal * 2) + (Exceptional ? 1 : 0);
}
