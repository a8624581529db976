using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>Two ownership attributes that contradict each other when they sit on one target, and why.</summary>
/// <param name="First">The attribute the other one contradicts.</param>
/// <param name="Second">The attribute the diagnostic is placed on: the one that contradicts <paramref name="First"/>.</param>
/// <param name="Reason">Why the two cannot sit together, as the diagnostic says it.</param>
internal readonly record struct AnnotationConflict(Contract First, Contract Second, string Reason)
{
    /// <summary>The contradictions a parameter, field, property or method (as itself, the receiver form) can carry.</summary>
    public static readonly AnnotationConflict[] OnTarget =
    {
        new(Contract.Pinned, Contract.Borrowed, "a value either holds a page reference or it does not"),
        new(Contract.AcquiresPin, Contract.ReleasesPin, "one operation cannot both take and drop the same pin"),
        new(Contract.AcquiresPin, Contract.TryAcquiresPin, "a pin is taken either unconditionally or only on success"),
        new(Contract.ReleasesPin, Contract.TryAcquiresPin, "one operation cannot both drop and try to take the same pin"),
        new(Contract.ReleasesPin, Contract.TakesPinOwnership, "the callee either drops the pin or keeps it"),
        new(Contract.AcquiresPin, Contract.TakesPinOwnership, "the callee cannot both hand a new pin to the caller and keep it"),
        new(Contract.OutOfBandSink, Contract.NotifierCoveredSink, "a PFN goes either outside the stage-2 tables or into a notifier-covered mapping"),
        new(Contract.Borrowed, Contract.RequiresPin, "a borrowed PFN holds no reference, but the operation needs one"),
        new(Contract.AcquiresLock, Contract.ReleasesLock, "one operation cannot both take and drop the same lock"),
    };

    /// <summary>The contradictions a method's return value can carry.</summary>
    public static readonly AnnotationConflict[] OnReturn =
    {
        new(Contract.ReturnPinned, Contract.ReturnBorrowed, "a value either holds a page reference or it does not"),
    };
}
