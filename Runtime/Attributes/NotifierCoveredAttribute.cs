using System;

namespace MmuGuard;

/// <summary>
/// Marks a field or property whose contents an MMU-notifier hook invalidates (a PFN cache's PFN), so it may hold a
/// borrowed PFN beyond one operation. A borrowed PFN stored anywhere else outlives its coverage.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class NotifierCoveredAttribute : Attribute
{
}
