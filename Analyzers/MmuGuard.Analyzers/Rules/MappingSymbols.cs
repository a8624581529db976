using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Rules;

/// <summary>The bookkeeping generator's attribute types and the PFN type, resolved once per compilation.</summary>
internal sealed class MappingSymbols
{
    private MappingSymbols(Compilation compilation, INamedTypeSymbol? outOfBand, INamedTypeSymbol? covered)
    {
        OutOfBandMapping = outOfBand;
        NotifierCoveredMapping = covered;
        MappingBookkeeping = compilation.GetTypeByMetadataName("MmuGuard.MappingBookkeepingAttribute");
        Pfn = compilation.GetTypeByMetadataName("MmuGuard.Physical.Pfn");
        Pinned = compilation.GetTypeByMetadataName("MmuGuard.PinnedAttribute");
        NotifierCovered = compilation.GetTypeByMetadataName("MmuGuard.NotifierCoveredAttribute");
    }

    public INamedTypeSymbol? OutOfBandMapping { get; }

    public INamedTypeSymbol? NotifierCoveredMapping { get; }

    public INamedTypeSymbol? MappingBookkeeping { get; }

    /// <summary><c>MmuGuard.Physical.Pfn</c>; <see langword="null"/> when the compilation cannot see it (then field types are not checked).</summary>
    public INamedTypeSymbol? Pfn { get; }

    public INamedTypeSymbol? Pinned { get; }

    public INamedTypeSymbol? NotifierCovered { get; }

    /// <summary>Returns <see langword="null"/> when neither mapping attribute exists, so nothing is registered.</summary>
    public static MappingSymbols? TryCreate(Compilation compilation)
    {
        var outOfBand = compilation.GetTypeByMetadataName("MmuGuard.OutOfBandMappingAttribute");
        var covered = compilation.GetTypeByMetadataName("MmuGuard.NotifierCoveredMappingAttribute");
        return outOfBand is null && covered is null ? null : new MappingSymbols(compilation, outOfBand, covered);
    }
}
