namespace MmuGuard.Analyzers.Tests.CodeFixes.Harness;

/// <summary>
/// An annotated API whose methods really count what they do (pins, installs, the invalidation sequence), so a
/// fixed method can be run and its behaviour compared with the original's, not only its text.
/// </summary>
internal static class FixWorld
{
    public const string Api = @"using MmuGuard;

public struct Pfn { public ulong Frame; }

public sealed class Mm
{
    public readonly System.Collections.Generic.List<string> Trace = new System.Collections.Generic.List<string>();
    public int Pins;
    public int Sequence;
    public int Installs;
    public bool InvalidateDuringResolve;
    public bool RefusePins;

    public void Log(string step) { Trace.Add(step); }

    [return: Borrowed, MayBeNonRefcounted]
    public Pfn FollowPte(ulong hva)
    {
        if (InvalidateDuringResolve) { Sequence++; }
        return new Pfn { Frame = hva };
    }

    [return: Pinned] public Pfn GetUserPages(ulong hva) { Pins++; return new Pfn { Frame = hva }; }
    public void Get([AcquiresPin] Pfn pfn) { Pins++; }
    public bool GetUnlessZero([TryAcquiresPin] Pfn pfn) { if (RefusePins) { return false; } Pins++; return true; }
    public void Put([ReleasesPin] Pfn pfn) { Pins--; }
    [SnapshotsInvalidationSequence] public int ReadSequence() => Sequence;
    [ChecksInvalidationRetry] public bool MustRetry(int since) => Sequence != since;
    public void Install(ulong gfn, [NotifierCoveredSink] Pfn pfn) { Installs++; }
}
";

    /// <summary>A source with <paramref name="body"/> as the body of <c>Scenario.Run(Mm mm, bool c1, bool c2, ulong hva)</c>.</summary>
    public static string Scenario(string body) => Api + @"
public static class Scenario
{
    public static void Run(Mm mm, bool c1, bool c2, ulong hva)
    {
" + body + @"
    }
}
";
}
