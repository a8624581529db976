using System.Threading.Tasks;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0010: contradictory or ill-placed ownership attributes.</summary>
public sealed class AnnotationMisuseAnalyzerTests
{
    private static Task VerifyAsync(string members, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
            "using MmuGuard;\n\npublic struct Pfn { }\n\npublic class Pages\n{\n" + members + "\n}\n",
            expected);

    [Fact]
    public Task PinnedAndBorrowedOnOneReturnValueIsReported() => VerifyAsync(
        "[return: Pinned, {|MMU0010:Borrowed|}] public Pfn Resolve() => default;");

    [Fact]
    public Task PinnedAndBorrowedOnOneOutParameterIsReported() => VerifyAsync(
        "public void Resolve([Pinned, {|MMU0010:Borrowed|}] out Pfn pfn) { pfn = default; }");

    [Fact]
    public Task AcquiresPinWithReleasesPinOnOneParameterIsReported() => VerifyAsync(
        "public void Cycle([AcquiresPin, {|MMU0010:ReleasesPin|}] Pfn pfn) { }");

    [Fact]
    public Task AcquiresPinWithReleasesPinOnOneMethodIsReported() => VerifyAsync(
        "[AcquiresPin, {|MMU0010:ReleasesPin|}] public void Cycle() { }");

    [Fact]
    public Task AcquiresPinWithTryAcquiresPinOnOneParameterIsReported() => VerifyAsync(
        "public bool Pin([AcquiresPin, {|MMU0010:TryAcquiresPin|}] Pfn pfn) => true;");

    [Fact]
    public Task NotifierCoveredWithPinnedOnOneFieldIsAPinningCacheNotAConflict() => VerifyAsync(
        "[Pinned, NotifierCovered] private Pfn _cached;");

    [Fact]
    public Task NotifierCoveredWithPinnedOnOnePropertyIsAPinningCacheNotAConflict() => VerifyAsync(
        "[Pinned, NotifierCovered] public Pfn Cached { get; set; }");

    [Fact]
    public Task OutOfBandSinkWithNotifierCoveredSinkOnOneParameterIsReported() => VerifyAsync(
        "public void Install([OutOfBandSink, {|MMU0010:NotifierCoveredSink|}] Pfn pfn) { }");

    [Fact]
    public Task ReleasesPinWithTakesPinOwnershipOnOneParameterIsReported() => VerifyAsync(
        "public void Hand([ReleasesPin, {|MMU0010:TakesPinOwnership|}] Pfn pfn) { }");

    [Fact]
    public Task BorrowedWithRequiresPinOnOneParameterIsReported() => VerifyAsync(
        "public void MarkDirty([Borrowed, {|MMU0010:RequiresPin|}] Pfn pfn) { }");

    [Fact]
    public Task TryAcquiresPinOnAVoidMethodIsReported() => VerifyAsync(
        "[{|MMU0010:TryAcquiresPin|}] public void TryPin() { }");

    [Fact]
    public Task TryAcquiresPinParameterOfAMethodNotReturningBoolIsReported() => VerifyAsync(
        "public int TryPin([{|MMU0010:TryAcquiresPin|}] Pfn pfn) => 0;");

    [Fact]
    public Task ChecksInvalidationRetryOnAMethodNotReturningBoolIsReported() => VerifyAsync(
        "[{|MMU0010:ChecksInvalidationRetry|}] public ulong MustRetry(ulong snapshot) => snapshot;");

    [Fact]
    public Task SnapshotsInvalidationSequenceOnAVoidMethodIsReported() => VerifyAsync(
        "[{|MMU0010:SnapshotsInvalidationSequence|}] public void SnapshotSequence() { }");

    [Fact]
    public Task ReceiverFormOnAStaticMethodIsReported() => VerifyAsync(
        "[{|MMU0010:ReleasesPin|}] public static void Unmap() { }");

    [Fact]
    public Task EveryReceiverFormOnAStaticMethodIsReportedSeparately() => VerifyAsync(
        "[{|MMU0010:RequiresPin|}, {|MMU0010:AcquiresPin|}] public static void Touch() { }");

    [Fact]
    public Task MessageNamesTheMemberAndTheProblem() => VerifyAsync(
        "[return: Pinned, {|#0:Borrowed|}] public Pfn Resolve() => default;",
        Verifier<AnnotationMisuseAnalyzer>.Diagnostic("MMU0010").WithLocation(0).WithArguments(
            "The return value of 'Pages.Resolve()' is marked both [Pinned] and [Borrowed]: a value either holds a page reference or it does not"));

    [Fact]
    public Task StaticMessageNamesTheMethodAndTheAttribute() => VerifyAsync(
        "[{|#0:ReleasesPin|}] public static void Unmap() { }",
        Verifier<AnnotationMisuseAnalyzer>.Diagnostic("MMU0010").WithLocation(0).WithArguments(
            "'Pages.Unmap()' is static, but [ReleasesPin] on a method acts on its receiver; put it on the parameter it applies to"));

    [Fact]
    public Task TheDocumentedVocabularyInItsValidCombinationsIsSilent() => VerifyAsync(@"
    [return: Borrowed, MayBeNonRefcounted] public Pfn FollowPte(ulong hva) => default;
    [return: Pinned] public Pfn GetUserPages(ulong hva) => default;
    public void Pin([AcquiresPin] Pfn pfn) { }
    public bool TryPin([TryAcquiresPin] Pfn pfn) => true;
    public bool TryMapOnFalse([TryAcquiresPin(false)] out Pfn pfn) { pfn = default; return false; }
    public void Unpin([ReleasesPin] Pfn pfn) { }
    public void Adopt([TakesPinOwnership] Pfn pfn) { }
    public void Map([OutOfBandSink, TakesPinOwnership] Pfn pfn) { }
    public void Install(ulong gfn, [NotifierCoveredSink, Borrowed, MayBeNonRefcounted] Pfn pfn) { }
    public void MarkDirty([RequiresPin, MayBeNonRefcounted] Pfn pfn) { }
    [SnapshotsInvalidationSequence] public ulong SnapshotSequence() => 0;
    [ChecksInvalidationRetry] public bool MustRetry(ulong snapshot) => false;
    [ReleasesPin] public void Unmap() { }
    [TryAcquiresPin] public bool TryPinSelf() => true;
    [RequiresPin] public ulong ReadQword(int offset) => 0;
    [Pinned, MayBeNonRefcounted] private Pfn _owned;
    [NotifierCovered] private Pfn _cached;
    public static void PinStatic([AcquiresPin] Pfn pfn) { }");
}
