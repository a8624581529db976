using System;
using System.Collections.Generic;
using System.Text;

namespace MmuGuard.Analyzers.Tests.Docs;

/// <summary>Finds the fenced code blocks of a Markdown page whose language is C# (<c>csharp</c>, <c>cs</c>, <c>c#</c>).</summary>
internal static class MarkdownCSharpBlocks
{
    private static readonly string[] CSharpLanguages = { "csharp", "cs", "c#" };

    public static IReadOnlyList<DocumentationBlock> Read(string page, string markdown)
    {
        var blocks = new List<DocumentationBlock>();
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!TryOpenFence(lines[i], out var fence, out var info))
            {
                continue;
            }

            var code = new StringBuilder();
            var opening = i;
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith(fence, StringComparison.Ordinal); i++)
            {
                code.Append(lines[i]).Append('\n');
            }

            if (IsCSharp(info))
            {
                blocks.Add(new DocumentationBlock(page, opening + 1, info, code.ToString()));
            }
        }

        return blocks;
    }

    private static bool TryOpenFence(string line, out string fence, out string info)
    {
        var trimmed = line.TrimStart();
        var marker = trimmed.StartsWith("```", StringComparison.Ordinal) ? '`' : trimmed.StartsWith("~~~", StringComparison.Ordinal) ? '~' : '\0';
        if (marker == '\0')
        {
            fence = info = string.Empty;
            return false;
        }

        var length = 0;
        while (length < trimmed.Length && trimmed[length] == marker)
        {
            length++;
        }

        fence = new string(marker, length);
        info = trimmed.Substring(length).Trim();
        return true;
    }

    private static bool IsCSharp(string info)
    {
        var language = info.Split(' ', 2)[0];
        return Array.Exists(CSharpLanguages, known => string.Equals(known, language, StringComparison.OrdinalIgnoreCase));
    }
}
