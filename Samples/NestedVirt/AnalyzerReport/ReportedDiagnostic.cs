namespace MmuGuard.Samples.NestedVirt.AnalyzerReport;

/// <summary>One MmuGuard diagnostic found in a sample: rule, file under <c>Samples/</c>, line and message.</summary>
internal sealed record ReportedDiagnostic(string Id, string Path, int Line, string Message)
{
    /// <summary>The location and rule alone, to compare with the <c>// expect:</c> markers.</summary>
    public (string Id, string Path, int Line) Key => (Id, Path, Line);
}
