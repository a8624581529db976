using Microsoft.CodeAnalysis.CSharp;

namespace MmuGuard.Generators.Emit;

/// <summary>Writes a user's name back as C# source: a name that is a keyword (a field <c>@event</c>) needs its <c>@</c>.</summary>
internal static class CSharpIdentifier
{
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
}
