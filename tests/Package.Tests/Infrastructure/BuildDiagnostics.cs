using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>Reads the MmuGuard diagnostics out of MSBuild console output (<c>file(line,col): warning MMU0001: …</c>).</summary>
public static partial class BuildDiagnostics
{
    /// <summary>
    /// The distinct MMU diagnostics of the given <paramref name="severity"/> (<c>warning</c> or <c>error</c>) whose file
    /// lies under <paramref name="projectFolder"/>, as project-relative locations. MSBuild repeats each one in its
    /// closing summary, hence a set.
    /// </summary>
    public static IReadOnlySet<ExpectedDiagnostic> Parse(string output, string projectFolder, string severity)
    {
        var found = new HashSet<ExpectedDiagnostic>();
        foreach (var rawLine in output.Split('\n'))
        {
            var match = Line().Match(rawLine.TrimEnd('\r'));
            if (!match.Success || match.Groups["severity"].Value != severity)
            {
                continue;
            }

            var file = match.Groups["file"].Value.Trim();
            var relative = Path.IsPathRooted(file) ? SourceFiles.Relative(projectFolder, file) : file.Replace('\\', '/');
            found.Add(new ExpectedDiagnostic(match.Groups["id"].Value, relative, int.Parse(match.Groups["line"].Value)));
        }

        return found;
    }

    /// <summary>Whether any line of <paramref name="output"/> reports an MMU diagnostic at all.</summary>
    public static bool MentionsAnyRule(string output) =>
        output.Contains(": warning MMU", StringComparison.Ordinal) || output.Contains(": error MMU", StringComparison.Ordinal);

    [GeneratedRegex(@"^\s*(?<file>[^:(]+?)\((?<line>\d+),\d+(?:,\d+,\d+)?\):\s+(?<severity>warning|error)\s+(?<id>MMU\d{4}):")]
    private static partial Regex Line();
}
