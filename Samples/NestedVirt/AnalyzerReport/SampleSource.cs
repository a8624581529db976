namespace MmuGuard.Samples.NestedVirt.AnalyzerReport;

/// <summary>One C# file of a sample, as shipped inside this program, named by its path under <c>Samples/</c>.</summary>
/// <param name="Path">The path under <c>Samples/</c>, e.g. <c>BuggySim/Faults.cs</c>.</param>
/// <param name="Text">The file's text.</param>
internal sealed record SampleSource(string Path, string Text);
