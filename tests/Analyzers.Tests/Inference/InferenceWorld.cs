namespace MmuGuard.Analyzers.Tests.Inference;

/// <summary>An annotated page API that the inference tests write unannotated helpers against.</summary>
internal static class InferenceWorld
{
    public const string Api = @"using MmuGuard;

public struct Pfn { public ulong Frame; }

public sealed class Mm
{
    [return: Pinned] public Pfn GetUserPages(ulong hva) => new Pfn { Frame = hva };
    [return: Borrowed, MayBeNonRefcounted] public Pfn FollowPte(ulong hva) => new Pfn { Frame = hva };
    public void Get([AcquiresPin] Pfn pfn) { }
    public bool TryGet([TryAcquiresPin] Pfn pfn) => true;
    public void Put([ReleasesPin] Pfn pfn) { }
    public void MarkDirty([RequiresPin] Pfn pfn) { }
    [Pinned] private Pfn _adopted;
    public void Adopt([TakesPinOwnership] Pfn pfn) { _adopted = pfn; }
    public void WriteApicAccess([OutOfBandSink] Pfn pfn) { }
    public void Install(ulong gfn, [NotifierCoveredSink] Pfn pfn) { }
    [SnapshotsInvalidationSequence] public ulong InvalidateSeq() => 0;
    [ChecksInvalidationRetry] public bool InvalidateRetry(ulong seq) => false;
    public void Log(string step) { }
}

public sealed class Holder
{
    [Pinned] public Pfn Page;
    public Pfn Plain;
}
";

    /// <summary><paramref name="members"/> as the members of class <c>Sim</c>, after <see cref="Api"/>.</summary>
    public static string Sim(string members) => Api + @"
public class Sim
{
    private readonly Mm _mm = new Mm();
" + members + @"
}
";
}
