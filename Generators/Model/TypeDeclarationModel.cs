namespace MmuGuard.Generators.Model;

/// <summary>A type declaration the generated partial must repeat: its keyword (<c>class</c>, <c>record struct</c>…) and name.</summary>
internal sealed record TypeDeclarationModel(string Keyword, string Name);
