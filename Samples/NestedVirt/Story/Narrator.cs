using System.IO;
using MmuGuard.Physical;
using MmuGuard.Samples.NestedVirt.Tracing;

namespace MmuGuard.Samples.NestedVirt.Story;

/// <summary>
/// Tells the story twice: as numbered steps on the console, and as trace events (one track per PFN and per mapping)
/// for the optional Chrome trace.
/// </summary>
internal sealed class Narrator
{
    private readonly TextWriter _output;
    private readonly TraceRecorder _trace;
    private int _step;

    public Narrator(TextWriter output, TraceRecorder trace)
    {
        _output = output;
        _trace = trace;
    }

    /// <summary>Starts step <c>n</c> of the story.</summary>
    public void Step(string title)
    {
        _step++;
        _trace.NextStep();
        _output.WriteLine();
        _output.WriteLine($"[{_step}] {title}");
    }

    /// <summary>One line of explanation or observation under the current step.</summary>
    public void Say(string line) => _output.WriteLine("    " + line);

    /// <summary>Something happened to <paramref name="pfn"/> (allocated, pinned, freed…): a mark on its track.</summary>
    public void OnFrame(Pfn pfn, string what, string detail) => _trace.Instant(pfn.ToString(), what, detail);

    /// <summary><paramref name="mapping"/> became live: its track shows a span from now.</summary>
    public void MappingLive(string mapping, string what) => _trace.Begin(mapping, what);

    /// <summary><paramref name="mapping"/> went away: its span ends now, with why.</summary>
    public void MappingGone(string mapping, string why) => _trace.End(mapping, why);

    /// <summary><paramref name="mapping"/> was asked for and refused: a mark on its track.</summary>
    public void MappingRefused(string mapping, string why) => _trace.Instant(mapping, "refused", why);
}
