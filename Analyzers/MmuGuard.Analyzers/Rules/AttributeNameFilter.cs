using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MmuGuard.Analyzers.Bodies;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// Decides from a declaration's syntax whether a source symbol can carry one of a set of attribute classes, so a
/// symbol action reads the attributes (binds them) only of the members that can: one attribute in its signature (on
/// itself, its return value, a parameter, or for an accessor its property's) must be written with the class's name,
/// with or without the <c>Attribute</c> suffix, or with a <c>using</c> alias in scope (any alias counts: an alias
/// is not bound either). A declaration this cannot read (a <c>partial</c> member, whose other part may carry the
/// attribute; a kind of syntax not listed below) is taken as carrying it.
/// </summary>
internal sealed class AttributeNameFilter
{
    private const string Suffix = "Attribute";

    private readonly HashSet<string> _classNames = new(StringComparer.Ordinal);
    private readonly Compilation _compilation;
    private readonly Func<AttributeSyntax, bool> _mayBe;
    private HashSet<string>? _globalAliases;

    public AttributeNameFilter(Compilation compilation, IEnumerable<INamedTypeSymbol?> attributes)
    {
        _compilation = compilation;
        _mayBe = MayBe;
        foreach (var attribute in attributes)
        {
            if (attribute is not null)
            {
                _classNames.Add(attribute.Name);
            }
        }
    }

    /// <summary>Whether a declaration of <paramref name="symbol"/> may apply one of the attributes to it or its parameters.</summary>
    public bool MayCarry(ISymbol symbol, CancellationToken cancellationToken)
    {
        var references = symbol.DeclaringSyntaxReferences;
        if (references.IsEmpty)
        {
            return true;
        }

        foreach (var reference in references)
        {
            if (MayCarry(reference.GetSyntax(cancellationToken)))
            {
                return true;
            }
        }

        return false;
    }

    private bool MayCarry(SyntaxNode declaration)
    {
        switch (declaration)
        {
            case MemberDeclarationSyntax member when IsPartial(member):
                return true;
            case BaseMethodDeclarationSyntax method:
                return Any(method.AttributeLists) || Any(method.ParameterList);
            case AccessorDeclarationSyntax { Parent.Parent: BasePropertyDeclarationSyntax property }:
                return MayCarry(property);
            case ArrowExpressionClauseSyntax { Parent: BasePropertyDeclarationSyntax property }:
                return MayCarry(property);
            case BasePropertyDeclarationSyntax property:
                return Any(property.AttributeLists)
                    || (property is IndexerDeclarationSyntax indexer && Any(indexer.ParameterList))
                    || Any(property.AccessorList);
            case VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax field }:
                return MayCarry(field);
            case BaseFieldDeclarationSyntax field:
                return Any(field.AttributeLists);
            case EnumMemberDeclarationSyntax member:
                return Any(member.AttributeLists);
            case ParameterSyntax parameter:
                // A record's positional property: `[property: Pinned] Pfn Frame`.
                return Any(parameter.AttributeLists);
            case TypeDeclarationSyntax type:
                // A primary constructor: `[method: …]` on the type, attributes on its parameters.
                return Any(type.AttributeLists) || (type.ParameterList is { } parameters && Any(parameters));
            case DelegateDeclarationSyntax @delegate:
                return Any(@delegate.AttributeLists) || Any(@delegate.ParameterList);
            default:
                return true;
        }
    }

    private static bool IsPartial(MemberDeclarationSyntax member)
    {
        foreach (var modifier in member.Modifiers)
        {
            if (modifier.IsKind(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        return false;
    }

    private bool Any(BaseParameterListSyntax parameters) => SignatureAttributes.Any(parameters, _mayBe);

    private bool Any(AccessorListSyntax? accessors) => SignatureAttributes.Any(accessors, _mayBe);

    private bool Any(SyntaxList<AttributeListSyntax> lists) => SignatureAttributes.Any(lists, _mayBe);

    private bool MayBe(AttributeSyntax attribute)
    {
        var (name, simple) = attribute.Name switch
        {
            IdentifierNameSyntax identifier => (identifier.Identifier.ValueText, true),
            GenericNameSyntax generic => (generic.Identifier.ValueText, false),
            QualifiedNameSyntax qualified => (qualified.Right.Identifier.ValueText, false),
            AliasQualifiedNameSyntax alias => (alias.Name.Identifier.ValueText, false),
            _ => (string.Empty, false),
        };
        if (name.Length == 0)
        {
            return true;
        }

        // `[Pinned]` finds PinnedAttribute (and Pinned); `[PinnedAttribute]` finds PinnedAttribute.
        if (_classNames.Contains(name) || _classNames.Contains(name + Suffix))
        {
            return true;
        }

        // Only a simple name can be an alias of the attribute class itself (`using Pin = MmuGuard.PinnedAttribute;`).
        return simple && IsAlias(attribute, name);
    }

    private bool IsAlias(SyntaxNode node, string name)
    {
        var withSuffix = name + Suffix;
        for (var scope = node.Parent; scope is not null; scope = scope.Parent)
        {
            var usings = scope switch
            {
                BaseNamespaceDeclarationSyntax @namespace => @namespace.Usings,
                CompilationUnitSyntax unit => unit.Usings,
                _ => default,
            };
            foreach (var directive in usings)
            {
                if (directive.Alias is { } alias && (alias.Name.Identifier.ValueText == name || alias.Name.Identifier.ValueText == withSuffix))
                {
                    return true;
                }
            }
        }

        var global = GlobalAliases();
        return global.Contains(name) || global.Contains(withSuffix);
    }

    /// <summary>The names of the compilation's <c>global using</c> aliases, read once (they sit at the top of a file).</summary>
    private HashSet<string> GlobalAliases()
    {
        if (Volatile.Read(ref _globalAliases) is { } known)
        {
            return known;
        }

        var aliases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tree in _compilation.SyntaxTrees)
        {
            if (tree.GetRoot() is CompilationUnitSyntax unit)
            {
                foreach (var directive in unit.Usings)
                {
                    if (directive.Alias is { } alias && !directive.GlobalKeyword.IsKind(SyntaxKind.None))
                    {
                        aliases.Add(alias.Name.Identifier.ValueText);
                    }
                }
            }
        }

        return Interlocked.CompareExchange(ref _globalAliases, aliases, null) ?? aliases;
    }
}
