using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.Tests.Inference.Adoption;

/// <summary>
/// The ownership attributes written in a source, read and removed syntactically: the adoption evidence strips them
/// from hand-annotated code and counts what the inference fixes write back.
/// </summary>
internal static class OwnershipAttributes
{
    /// <summary>The contract kinds the inference rules (MMU0016, MMU0023–MMU0026) can write.</summary>
    public static readonly ImmutableHashSet<string> Inferable = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Pinned", "Borrowed", "ReleasesPin", "TakesPinOwnership", "RequiresPin", "NotifierCovered");

    /// <summary>The whole vocabulary.</summary>
    public static readonly ImmutableHashSet<string> All = Inferable.Union(new[]
    {
        "MayBeNonRefcounted", "AcquiresPin", "TryAcquiresPin", "OutOfBandSink", "NotifierCoveredSink",
        "SnapshotsInvalidationSequence", "ChecksInvalidationRetry",
    });

    /// <summary>The attribute's name without namespace or <c>Attribute</c> suffix.</summary>
    public static string NameOf(AttributeSyntax attribute)
    {
        var name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => attribute.Name.ToString(),
        };
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    /// <summary><paramref name="root"/> without the attributes named in <paramref name="names"/> (empty lists go too).</summary>
    public static SyntaxNode Strip(SyntaxNode root, ImmutableHashSet<string> names) => new Stripper(names).Visit(root);

    /// <summary>
    /// Whether <paramref name="attribute"/> sits where an inference rule writes its kind: <c>[return: Pinned]</c> /
    /// <c>[return: Borrowed]</c> and the same on an <c>out</c> parameter (MMU0016), a parameter's
    /// <c>[ReleasesPin]</c>/<c>[TakesPinOwnership]</c>/<c>[RequiresPin]</c> (MMU0023–MMU0025), a field's
    /// <c>[NotifierCovered]</c> (MMU0026). An owning <c>[Pinned]</c> member or a receiver-form attribute on a method
    /// is a declaration the inference never writes.
    /// </summary>
    public static bool IsInferred(AttributeSyntax attribute)
    {
        if (attribute.Parent is not AttributeListSyntax list)
        {
            return false;
        }

        return NameOf(attribute) switch
        {
            "Pinned" or "Borrowed" => list.Target?.Identifier.IsKind(SyntaxKind.ReturnKeyword) == true
                || list.Parent is ParameterSyntax parameter && parameter.Modifiers.Any(SyntaxKind.OutKeyword),
            "ReleasesPin" or "TakesPinOwnership" or "RequiresPin" => list.Parent is ParameterSyntax,
            "NotifierCovered" => list.Parent is FieldDeclarationSyntax,
            _ => false,
        };
    }

    /// <summary>How many attributes of the vocabulary <paramref name="root"/> carries outside the places the inference writes.</summary>
    public static int CountKept(SyntaxNode root) =>
        root.DescendantNodes().OfType<AttributeSyntax>().Count(attribute => All.Contains(NameOf(attribute)) && !IsInferred(attribute));

    /// <summary>
    /// Every attribute of <paramref name="names"/> in <paramref name="tree"/>, as "documentation ID, placement,
    /// attribute" (placement: <c>return</c>, <c>param name</c>, or empty for the member itself), so two versions of
    /// one source compare by what they say, not where the text is.
    /// </summary>
    public static IEnumerable<string> Census(SemanticModel model, SyntaxTree tree, ImmutableHashSet<string> names)
    {
        foreach (var attribute in tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>())
        {
            var name = NameOf(attribute);
            if (!names.Contains(name) || !IsInferred(attribute) || attribute.Parent is not AttributeListSyntax list)
            {
                continue;
            }

            var declaration = list.Parent is VariableDeclarationSyntax or null ? null : list.Parent;
            var symbol = declaration switch
            {
                FieldDeclarationSyntax field => model.GetDeclaredSymbol(field.Declaration.Variables[0]),
                null => null,
                _ => model.GetDeclaredSymbol(declaration),
            };
            var (member, placement) = symbol switch
            {
                IParameterSymbol parameter => (parameter.ContainingSymbol, "param " + parameter.Name),
                IMethodSymbol method when list.Target?.Identifier.IsKind(SyntaxKind.ReturnKeyword) == true => (method, "return"),
                { } other => (other, string.Empty),
                null => (null, string.Empty),
            };
            if (member?.GetDocumentationCommentId() is { } id)
            {
                yield return (id + " " + placement).TrimEnd() + ": " + name;
            }
        }
    }

    private sealed class Stripper : CSharpSyntaxRewriter
    {
        private readonly ImmutableHashSet<string> _names;

        public Stripper(ImmutableHashSet<string> names)
        {
            _names = names;
        }

        public override SyntaxNode? VisitAttributeList(AttributeListSyntax node)
        {
            var kept = node.Attributes.Where(attribute => !_names.Contains(NameOf(attribute)) || !IsInferred(attribute)).ToArray();
            if (kept.Length == node.Attributes.Count)
            {
                return node;
            }

            if (kept.Length == 0)
            {
                return null;
            }

            return node.WithAttributes(SyntaxFactory.SeparatedList(kept));
        }
    }
}
