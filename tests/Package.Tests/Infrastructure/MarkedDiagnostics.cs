using System.Collections.Generic;
using System.IO;
using MmuGuard.Samples.NestedVirt.AnalyzerReport;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>The diagnostics a project's sources ask for with <c>// expect: MMUxxxx</c> comments, as project-relative locations.</summary>
public static class MarkedDiagnostics
{
    /// <summary>Every marked diagnostic in the C# files under <paramref name="projectFolder"/>, skipping bin/ and obj/.</summary>
    public static IReadOnlySet<ExpectedDiagnostic> In(string projectFolder)
    {
        var expected = new HashSet<ExpectedDiagnostic>();
        foreach (var file in SourceFiles.Under(projectFolder))
        {
            var relative = SourceFiles.Relative(projectFolder, file);
            foreach (var (line, id) in ExpectMarkers.InText(File.ReadAllText(file)))
            {
                expected.Add(new ExpectedDiagnostic(id, relative, line));
            }
        }

        return expected;
    }
}
