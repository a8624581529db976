using System.Collections.Generic;
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
        ErrorValue = compilation.GetTypeByMetadataName("MmuGuard.ErrorValueAttribute");
        ErrorCheck = compilation.GetTypeByMetadataName("MmuGuard.ErrorCheckAttribute");
        MovesReferenceToResult = compilation.GetTypeByMetadataName("MmuGuard.MovesReferenceToResultAttribute");
        NotRefcountedCheck = compilation.GetTypeByMetadataName("MmuGuard.NotRefcountedCheckAttribute");
        NotZero = compilation.GetTypeByMetadataName("MmuGuard.NotZeroAttribute");
        MapResult = compilation.GetTypeByMetadataName("MmuGuard.Mapping.MapResult");
        AcquiresLock = compilation.GetTypeByMetadataName("MmuGuard.AcquiresLockAttribute");
        ReleasesLock = compilation.GetTypeByMetadataName("MmuGuard.ReleasesLockAttribute");
        InvalidationLock = compilation.GetTypeByMetadataName("MmuGuard.InvalidationLockAttribute");
        OperationContext = compilation.GetTypeByMetadataName("MmuGuard.OperationContextAttribute");
        Monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
        GenericCollection = compilation.GetTypeByMetadataName("System.Collections.Generic.ICollection`1");
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

    public INamedTypeSymbol? ErrorValue { get; }

    public INamedTypeSymbol? ErrorCheck { get; }
    public INamedTypeSymbol? MovesReferenceToResult { get; }

    public INamedTypeSymbol? NotRefcountedCheck { get; }

    public INamedTypeSymbol? NotZero { get; }

    /// <summary>
    /// <c>MmuGuard.Mapping.MapResult</c>, the "mapped or refused" outcome of the generated <c>Map…</c> members (and of
    /// the mapping sets behind them), so discarding one is MMU0003.
    /// </summary>
    public INamedTypeSymbol? MapResult { get; }
    public INamedTypeSymbol? AcquiresLock { get; }

    public INamedTypeSymbol? ReleasesLock { get; }

    public INamedTypeSymbol? InvalidationLock { get; }

    public INamedTypeSymbol? OperationContext { get; }

    /// <summary><c>System.Threading.Monitor</c>: <c>lock</c> statements lower to its <c>Enter</c>/<c>Exit</c>.</summary>
    public INamedTypeSymbol? Monitor { get; }

    /// <summary><c>ICollection&lt;T&gt;</c>: its <c>Add</c> puts a value into a collection, which takes over a pin.</summary>
    public INamedTypeSymbol? GenericCollection { get; }

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
        var known = Create(compilation);
        return known.SeesAttributes ? known : null;
    }

    /// <summary>Resolves the attributes, whether or not the compilation sees any (a contracts file works without them).</summary>
    public static KnownSymbols Create(Compilation compilation) => new(compilation);

    /// <summary>
    /// Every ownership attribute the contracts are read from (null where the compilation does not see it): the one list
    /// of the vocabulary, so a consumer that needs "all of them" cannot fall behind a new attribute.
    /// </summary>
    public IEnumerable<INamedTypeSymbol?> OwnershipAttributes => new[]
    {
        Pinned, Borrowed, MayBeNonRefcounted, AcquiresPin, TryAcquiresPin, ReleasesPin, TakesPinOwnership, RequiresPin,
        OutOfBandSink, NotifierCoveredSink, NotifierCovered, SnapshotsInvalidationSequence, ChecksInvalidationRetry,
        ErrorValue, ErrorCheck, MovesReferenceToResult, NotRefcountedCheck, NotZero, AcquiresLock, ReleasesLock,
        InvalidationLock, OperationContext,
    };

    /// <summary>The compilation sees at least one MmuGuard ownership attribute.</summary>
    public bool SeesAttributes =>
        Pinned is not null || Borrowed is not null || AcquiresPin is not null || TryAcquiresPin is not null
        || ReleasesPin is not null || OutOfBandSink is not null || NotifierCoveredSink is not null
        || RequiresPin is not null || MayBeNonRefcounted is not null;
}
