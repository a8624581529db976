using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace MmuGuard.Analyzers.Tests.Realistic.Suite;

/// <summary>Whether a port is a historical buggy version (its findings are marked) or a fixed one (it must be silent).</summary>
internal enum CaseKind
{
    /// <summary>The annotated KVM API every port calls; never expected to produce a diagnostic.</summary>
    Api,
    Buggy,
    Fixed,
}

/// <summary>A diagnostic a port expects: its ID and where it sits (1-based line and column of the marked text).</summary>
internal sealed record ExpectedMarker(string Id, int Line, int Column, int Start, int Length, string Text);

/// <summary>
/// One C# port of a KVM function (a <c>*.buggy.cs.txt</c> or <c>*.fixed.cs.txt</c> file under Realistic/Cases) with
/// its expected diagnostics as markup, <c>{|MMU0005:pfn|}</c>, stripped from <see cref="Source"/>.
/// </summary>
internal sealed class RealisticCase
{
    private static readonly Regex KernelReference = new(
        @"^// (?<file>(virt|arch)/[\w/.-]+\.[ch]) (?<function>\w+)\(\), .*(v\d+\.\d+|[0-9a-f]{12})",
        RegexOptions.Compiled | RegexOptions.Multiline);

    private RealisticCase(string name, CaseKind kind, string source, IReadOnlyList<ExpectedMarker> expected)
    {
        Name = name;
        Kind = kind;
        Source = source;
        Expected = expected;
    }

    /// <summary>The path below Realistic/Cases without the <c>.cs.txt</c> suffix, e.g. <c>kvm_main/hva_to_pfn_remapped.v5.12.buggy</c>.</summary>
    public string Name { get; }

    public CaseKind Kind { get; }

    public string Source { get; }

    public IReadOnlyList<ExpectedMarker> Expected { get; }

    /// <summary>The kernel function the port names on its first line (<c>// virt/kvm/kvm_main.c hva_to_pfn_remapped(), v5.12 ...</c>), or null.</summary>
    public string? KernelFunction => KernelReference.Match(Source) is { Success: true } match ? match.Groups["function"].Value : null;

    public static RealisticCase Load(string name, CaseKind kind, string markedSource)
    {
        var (source, markers) = StripMarkup(name, markedSource);
        return new RealisticCase(name, kind, source, markers);
    }

    public static CaseKind KindOf(string fileName) =>
        fileName.EndsWith(".buggy.cs.txt", StringComparison.Ordinal) ? CaseKind.Buggy
        : fileName.EndsWith(".fixed.cs.txt", StringComparison.Ordinal) ? CaseKind.Fixed
        : throw new InvalidDataException(fileName + ": a case file must end in .buggy.cs.txt or .fixed.cs.txt");

    /// <summary>Removes <c>{|ID:text|}</c> markup; nested markup is refused so a typo cannot shift every later location.</summary>
    private static (string Source, IReadOnlyList<ExpectedMarker> Markers) StripMarkup(string name, string marked)
    {
        var builder = new StringBuilder(marked.Length);
        var markers = new List<(string Id, int Start, int Length)>();
        var index = 0;
        while (index < marked.Length)
        {
            var open = marked.IndexOf("{|", index, StringComparison.Ordinal);
            if (open < 0)
            {
                builder.Append(marked, index, marked.Length - index);
                break;
            }

            builder.Append(marked, index, open - index);
            var colon = marked.IndexOf(':', open);
            var close = marked.IndexOf("|}", open, StringComparison.Ordinal);
            var nested = marked.IndexOf("{|", open + 2, StringComparison.Ordinal);
            if (colon < 0 || close < 0 || colon > close || (nested >= 0 && nested < close))
            {
                throw new InvalidDataException(name + ": malformed or nested markup at offset " + open);
            }

            var id = marked.Substring(open + 2, colon - open - 2);
            var text = marked.Substring(colon + 1, close - colon - 1);
            markers.Add((id, builder.Length, text.Length));
            builder.Append(text);
            index = close + 2;
        }

        var source = builder.ToString();
        return (source, markers.Select(m => ToMarker(source, m.Id, m.Start, m.Length)).ToArray());
    }

    private static ExpectedMarker ToMarker(string source, string id, int start, int length)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < start; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new ExpectedMarker(id, line, start - lineStart + 1, start, length, source.Substring(start, length));
    }
}
