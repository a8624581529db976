namespace MmuGuard.Shared;

/// <summary>The metadata names of the attributes that ask for generated bookkeeping, and of the field type they mark.</summary>
internal static class GenerationAttributeNames
{
    public const string Namespace = "MmuGuard";

    public const string OutOfBandMapping = "OutOfBandMappingAttribute";

    public const string NotifierCoveredMapping = "NotifierCoveredMappingAttribute";

    /// <summary>The ownership annotation that contradicts <c>[OutOfBandMapping]</c> on one field (MMU0013).</summary>
    public const string NotifierCovered = "NotifierCoveredAttribute";

    /// <summary>The ownership annotation that contradicts <c>[NotifierCoveredMapping]</c> on one field (MMU0013).</summary>
    public const string Pinned = "PinnedAttribute";

    public const string MappingBookkeeping = "MappingBookkeepingAttribute";

    public const string OutOfBandMappingMetadataName = Namespace + "." + OutOfBandMapping;

    public const string NotifierCoveredMappingMetadataName = Namespace + "." + NotifierCoveredMapping;

    /// <summary>The <c>MappingBookkeepingAttribute.Disposable</c> named argument.</summary>
    public const string DisposableArgument = "Disposable";

    public const string PfnNamespace = "Physical";

    public const string PfnName = "Pfn";
}
