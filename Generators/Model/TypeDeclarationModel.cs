namespace MmuGuard.Generators.Model;

/// <summary>A type declaration the generated partial must repeat: its header (<c>partial class</c>, <c>ref partial struct</c>…) and name.</summary>
/// <param name="Header">The modifiers and keyword(s) a partial part of the type must repeat, <c>partial</c> included.</param>
/// <param name="Name">The type's simple name (the generator serves only non-generic types).</param>
/// <param name="IsValueType">Whether the type is a struct, whose copies share the bookkeeping state (see the design doc).</param>
internal sealed record TypeDeclarationModel(string Header, string Name, bool IsValueType);
