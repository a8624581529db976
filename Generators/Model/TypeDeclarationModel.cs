namespace MmuGuard.Generators.Model;

/// <summary>A type declaration the generated partial must repeat: its keyword (<c>class</c>, <c>record struct</c>…) and name.</summary>
/// <param name="Keyword">The declaration keyword(s) a partial part of the type must repeat.</param>
/// <param name="Name">The type's simple name (the generator serves only non-generic types).</param>
/// <param name="IsValueType">Whether the type is a struct, whose copies share the bookkeeping state (see the design doc).</param>
internal sealed record TypeDeclarationModel(string Keyword, string Name, bool IsValueType);
