using System;
using System.Collections.Generic;
using System.Linq;

namespace MmuGuard.Analyzers.Tests.Docs;

/// <summary>How a fenced C# block of the documentation is checked, from its fence's info string.</summary>
public enum BlockKind
{
    /// <summary><c>```csharp</c>: a complete file that compiles with no MMU diagnostic.</summary>
    Compiled,

    /// <summary><c>```csharp expect=MMU0005,MMU0006</c>: a complete file that reports exactly those IDs.</summary>
    CompiledWithExpectedDiagnostics,

    /// <summary><c>```csharp fragment</c>: partial code, not compiled.</summary>
    Fragment,
}

/// <summary>
/// One <c>```csharp</c> block of a Markdown page: where it is, what its fence says about it, and its code.
/// The info string is <c>csharp</c>, <c>csharp fragment</c> or <c>csharp expect=ID[,ID…]</c>; an expect block must
/// report each listed ID (once or more) and no other MMU ID.
/// </summary>
internal sealed record DocumentationBlock(string Page, int Line, string InfoString, string Code)
{
    private const string ExpectPrefix = "expect=";

    /// <summary>Page and line of the opening fence, e.g. <c>docs/getting-started.md:42</c>.</summary>
    public string Location => Page + ":" + Line;

    /// <summary>What the info string asks for, or why it cannot be read.</summary>
    public (BlockKind Kind, IReadOnlyList<string> ExpectedIds, string? Error) Reading
    {
        get
        {
            var words = InfoString.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0] != "csharp")
            {
                return (BlockKind.Fragment, Array.Empty<string>(), $"'{InfoString}': fence C# as 'csharp' so the docs test sees it");
            }

            if (words.Length == 1)
            {
                return (BlockKind.Compiled, Array.Empty<string>(), null);
            }

            if (words.Length == 2 && words[1] == "fragment")
            {
                return (BlockKind.Fragment, Array.Empty<string>(), null);
            }

            if (words.Length == 2 && words[1].StartsWith(ExpectPrefix, StringComparison.Ordinal))
            {
                var ids = words[1].Substring(ExpectPrefix.Length).Split(',').Select(id => id.Trim()).ToArray();
                if (ids.All(id => id.Length == 7 && id.StartsWith("MMU", StringComparison.Ordinal) && id.Skip(3).All(char.IsDigit)))
                {
                    return (BlockKind.CompiledWithExpectedDiagnostics, ids.Distinct(StringComparer.Ordinal).OrderBy(id => id, StringComparer.Ordinal).ToArray(), null);
                }
            }

            return (BlockKind.Fragment, Array.Empty<string>(),
                $"'{InfoString}': expected 'csharp', 'csharp fragment' or 'csharp expect=MMU0005[,MMU0006]'");
        }
    }
}
