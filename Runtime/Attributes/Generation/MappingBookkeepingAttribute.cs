using System;

namespace MmuGuard;

/// <summary>
/// Optional options for the bookkeeping the generator writes for a type's <see cref="OutOfBandMappingAttribute"/>
/// and <see cref="NotifierCoveredMappingAttribute"/> members.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class MappingBookkeepingAttribute : Attribute
{
    /// <summary>
    /// When <see langword="true"/>, the generated half implements <see cref="IDisposable"/> and <c>Dispose</c>
    /// releases every live mapping (<c>UnmapAll</c>), so a <c>using</c> scope tears the mappings down.
    /// </summary>
    public bool Disposable { get; set; }
}
