using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers;

/// <summary>The ownership attribute types of one compilation, resolved once so callbacks compare symbols, never names.</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        Pinned = compilation.GetTypeByMetadataName("MmuGuard.PinnedAttribute");
        Borrowed = compilation.GetTypeByMetadataName("MmuGuard.BorrowedAttribute");
        MayBeNonRefcounted = compilation.GetTypeByMetadataName("MmuGuard.MayBeNonRefcountedAttribute");
        AcquiresPin = compilation.GetTypeByMetadataName("MmuGuard.AcquiresPinAttribute");
        TryAcquiresPin = compilation.GetTypeByMetadataName("MmuGuard.TryAcquiresPinAttribute");
        ReleasesPin = compilation.GetTypeByMetadataName("MmuGuard.ReleasesPinAttribute");
        TakesPinOwnership = compilation.GetTypeByMetadataName("MmuGuard.TakesPinOwnershipAttribute");
        RequiresPin = compilation.GetTypeByMetadataName("MmuGuard.RequiresPinAttribute");
        OutOfBandSink = compilation.GetTypeByMetadataName("MmuGuard.OutOfBandSinkAttribute");
        NotifierCoveredSink = compilation.GetTypeByMetadataName("MmuGuard.NotifierCoveredSinkAttribute");
        NotifierCovered = compilation.GetTypeByMetadataName("MmuGuard.NotifierCoveredAttribute");
        SnapshotsInvalidationSequence = compilation.GetTypeByMetadataName("MmuGuard.SnapshotsInvalidationSequenceAttribute");
        ChecksInvalidationRetry = compilation.GetTypeByMetadataName("MmuGuard.ChecksInvalidationRetryAttribute");
        IDisposable = compilation.GetTypeByMetadataName("System.IDisposable");
        DoesNotReturnIf = compilation.GetTypeByMetadataName("System.Diagnostics.CodeAnalysis.DoesNotReturnIfAttribute");
    }

    public INamedTypeSymbol? Pinned { get; }

    public INamedTypeSymbol? Borrowed { get; }

    public INamedTypeSymbol? MayBeNonRefcounted { get; }

    public INamedTypeSymbol? AcquiresPin { get; }

    public INamedTypeSymbol? TryAcquiresPin { get; }

    public INamedTypeSymbol? ReleasesPin { get; }

    public INamedTypeSymbol? TakesPinOwnership { get; }

    public INamedTypeSymbol? RequiresPin { get; }

    public INamedTypeSymbol? OutOfBandSink { get; }

    public INamedTypeSymbol? NotifierCoveredSink { get; }

    public INamedTypeSymbol? NotifierCovered { get; }

    public INamedTypeSymbol? SnapshotsInvalidationSequence { get; }

    public INamedTypeSymbol? ChecksInvalidationRetry { get; }

    /// <summary><c>System.IDisposable</c>, so a <c>using</c> that disposes a releasing receiver counts as a release.</summary>
    public INamedTypeSymbol? IDisposable { get; }

    /// <summary>
    /// <c>DoesNotReturnIfAttribute</c>, so <c>Assert.True(pages.TryPin(pfn))</c> counts as a branch that continues only
    /// on success, as nullable analysis reads it.
    /// </summary>
    public INamedTypeSymbol? DoesNotReturnIf { get; }

    /// <summary>
    /// Resolves the attributes; returns <see langword="null"/> when the compilation sees none of them, so the
    /// analyzers register nothing and cost nothing on code that does not use MmuGuard.
    /// </summary>
    public static KnownSymbols? TryCreate(Compilation compilation)
    {
        var known = new KnownSymbols(compilation);
        return known.Pinned is null && known.Borrowed is null && known.AcquiresPin is null && known.TryAcquiresPin is null
            && known.ReleasesPin is null && known.OutOfBandSink is null && known.NotifierCoveredSink is null
            && known.RequiresPin is null && known.MayBeNonRefcounted is null
            ? null
            : known;
    }
}
