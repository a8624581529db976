using System;

namespace MmuGuard.Analyzers.Flow;

/// <summary>A place state flows to: a block in one <see cref="FlowContext"/>.</summary>
internal readonly struct FlowTarget : IEquatable<FlowTarget>
{
    public FlowTarget(int ordinal, FlowContext context)
    {
        Ordinal = ordinal;
        Context = context;
    }

    public int Ordinal { get; }

    public FlowContext Context { get; }

    public bool Equals(FlowTarget other) => Ordinal == other.Ordinal && ReferenceEquals(Context, other.Context);

    public override bool Equals(object? obj) => obj is FlowTarget other && Equals(other);

    public override int GetHashCode() => (Ordinal * 397) ^ System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Context);
}
