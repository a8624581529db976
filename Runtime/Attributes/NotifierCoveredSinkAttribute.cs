using System;

namespace MmuGuard;

/// <summary>
/// Marks a parameter whose PFN is installed into a mapping that MMU notifiers invalidate (a stage-2 entry, a PFN
/// cache). No pin is needed, so non-refcounted pages are allowed.
/// </summary>
/// <remarks>
/// A borrowed PFN may be installed only under the invalidation-sequence discipline: a
/// <see cref="SnapshotsInvalidationSequenceAttribute"/> call before the PFN was resolved, and a
/// <see cref="ChecksInvalidationRetryAttribute"/> call after it whose "retry" outcome does not reach the install.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NotifierCoveredSinkAttribute : Attribute
{
}
