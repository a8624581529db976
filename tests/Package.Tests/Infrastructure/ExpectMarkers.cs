using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>
/// Reads the expected diagnostics from <c>// expect: MMU0001</c> (or <c>// expect: MMU0001, MMU0005</c>) comments
/// at the end of source lines, so the tests never hard-code line numbers.
/// </summary>
public static partial class ExpectMarkers
{
    /// <summary>Every marked diagnostic in the C# files under <paramref name="projectFolder"/>, skipping bin/ and obj/.</summary>
    public static IReadOnlySet<ExpectedDiagnostic> In(string projectFolder)
    {
        var expected = new HashSet<ExpectedDiagnostic>();
        foreach (var file in SourceFiles.Under(projectFolder))
        {
            var relative = SourceFiles.Relative(projectFolder, file);
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var marker = Marker().Match(lines[i]);
                if (!marker.Success)
                {
                    continue;
                }

                foreach (Capture id in marker.Groups["id"].Captures)
                {
                    expected.Add(new ExpectedDiagnostic(id.Value, relative, i + 1));
                }
            }
        }

        return expected;
    }

    [GeneratedRegex(@"//\s*expect:\s*(?<id>MMU\d{4})(?:\s*,\s*(?<id>MMU\d{4}))*\s*$")]
    private static partial Regex Marker();
}
