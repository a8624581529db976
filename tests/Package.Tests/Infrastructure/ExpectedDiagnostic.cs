namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>One diagnostic a build should report (or did report): rule, file relative to the project, and line.</summary>
/// <param name="Id">The rule ID, e.g. <c>MMU0001</c>.</param>
/// <param name="File">The source path relative to the consumer project folder, with forward slashes.</param>
/// <param name="Line">The 1-based line.</param>
public sealed record ExpectedDiagnostic(string Id, string File, int Line)
{
    public override string ToString() => $"{Id} at {File}:{Line}";
}
