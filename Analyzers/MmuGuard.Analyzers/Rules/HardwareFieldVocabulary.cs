using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Bodies;
using MmuGuard.Shared;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// The attribute types MMU0022 reads, resolved once per compilation: the hardware-field sink and its reload
/// declaration, and the contracts that say where a PFN came from.
/// </summary>
internal sealed class HardwareFieldVocabulary
{
    private HardwareFieldVocabulary(Compilation compilation, INamedTypeSymbol hardwareFieldSink)
    {
        HardwareFieldSink = hardwareFieldSink;
        ReloadedOnInvalidation = compilation.GetTypeByMetadataName("MmuGuard.ReloadedOnInvalidationAttribute");
        OutOfBandSink = compilation.GetTypeByMetadataName("MmuGuard.OutOfBandSinkAttribute");
        NotifierCovered = compilation.GetTypeByMetadataName("MmuGuard.NotifierCoveredAttribute");
        NotifierCoveredMapping = compilation.GetTypeByMetadataName(GenerationAttributeNames.NotifierCoveredMappingMetadataName);
        Borrowed = compilation.GetTypeByMetadataName("MmuGuard.BorrowedAttribute");
        Pinned = compilation.GetTypeByMetadataName("MmuGuard.PinnedAttribute");
        AcquiresPin = compilation.GetTypeByMetadataName("MmuGuard.AcquiresPinAttribute");
        TryAcquiresPin = compilation.GetTypeByMetadataName("MmuGuard.TryAcquiresPinAttribute");
    }

    public INamedTypeSymbol HardwareFieldSink { get; }

    public INamedTypeSymbol? ReloadedOnInvalidation { get; }

    public INamedTypeSymbol? OutOfBandSink { get; }

    public INamedTypeSymbol? NotifierCovered { get; }

    public INamedTypeSymbol? NotifierCoveredMapping { get; }

    public INamedTypeSymbol? Borrowed { get; }

    public INamedTypeSymbol? Pinned { get; }

    public INamedTypeSymbol? AcquiresPin { get; }

    public INamedTypeSymbol? TryAcquiresPin { get; }

    /// <summary>The vocabulary, or <see langword="null"/> when the compilation cannot see <c>[HardwareFieldSink]</c> (nothing to check).</summary>
    public static HardwareFieldVocabulary? TryCreate(Compilation compilation) =>
        compilation.GetTypeByMetadataName("MmuGuard.HardwareFieldSinkAttribute") is { } sink
            ? new HardwareFieldVocabulary(compilation, sink)
            : null;

    /// <summary>
    /// The bodies that can write a hardware field: those whose syntax can reach a <c>[HardwareFieldSink]</c> member or
    /// a method with a <c>[HardwareFieldSink]</c> parameter.
    /// </summary>
    public static BodyFilter SinkBodies(Compilation compilation, CancellationToken cancellationToken) =>
        CompilationBodies.Of(compilation).SinkFilter(cancellationToken);

    /// <summary>Whether <paramref name="symbol"/> is a <c>[HardwareFieldSink]</c> member or a method with a <c>[HardwareFieldSink]</c> parameter.</summary>
    public bool IsSinkMember(ISymbol symbol) =>
        Has(symbol, HardwareFieldSink) || (symbol is IMethodSymbol method && HasSinkParameter(method));

    /// <summary>Whether <paramref name="symbol"/> carries an attribute of class <paramref name="attribute"/>.</summary>
    public static bool Has(ISymbol symbol, INamedTypeSymbol? attribute) => Contains(symbol.GetAttributes(), attribute);

    /// <summary>Whether <paramref name="method"/>'s return value carries an attribute of class <paramref name="attribute"/>.</summary>
    public static bool ReturnHas(IMethodSymbol method, INamedTypeSymbol? attribute) => Contains(method.GetReturnTypeAttributes(), attribute);

    /// <summary>
    /// Whether <paramref name="symbol"/> declares a reload request: <c>[ReloadedOnInvalidation]</c> with a non-empty
    /// request name. An empty name declares nothing, so the field still counts as not reloaded.
    /// </summary>
    public bool DeclaresReload(ISymbol symbol)
    {
        if (ReloadedOnInvalidation is null)
        {
            return false;
        }

        foreach (var data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, ReloadedOnInvalidation)
                && data.ConstructorArguments.Length == 1
                && data.ConstructorArguments[0].Value is string request
                && request.Trim().Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Storage an MMU-notifier hook invalidates: <c>[NotifierCovered]</c>, or a generated notifier-covered mapping's field.</summary>
    public bool IsNotifierCoveredStorage(ISymbol member) =>
        Has(member, NotifierCovered) || Has(member, NotifierCoveredMapping);

    private bool HasSinkParameter(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (Has(parameter, HardwareFieldSink))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(ImmutableArray<AttributeData> attributes, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return false;
        }

        foreach (var data in attributes)
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }
}
