namespace MmuGuard.Analyzers.Flow;

/// <summary>The kinds of <see cref="FlowContext"/>.</summary>
internal enum FlowContextKind
{
    Normal,
    Exceptional,
    Leaving,
}
