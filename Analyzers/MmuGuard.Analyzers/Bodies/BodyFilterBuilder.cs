using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MmuGuard.Analyzers.Bodies;

/// <summary>
/// Builds a <see cref="BodyFilter"/> once per compilation: reads the member declarations of every syntax tree
/// (generated files included; every member with an attribute anywhere in its signature counts, so no attribute is
/// bound), walks the members of every referenced assembly that defines or references the vocabulary's attributes
/// (metadata symbols, shared between compilations), and records how a body can reach each member that carries them.
/// </summary>
internal static class BodyFilterBuilder
{
    /// <summary>Query-expression clauses are calls to these names; a query reaches them through <c>from</c> alone.</summary>
    private static readonly ImmutableHashSet<string> QueryMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Select", "SelectMany", "Where", "Join", "GroupJoin", "GroupBy", "OrderBy", "OrderByDescending", "ThenBy",
        "ThenByDescending", "Cast");

    /// <summary>
    /// The filter for the members <paramref name="carries"/> accepts, plus <paramref name="extra"/> (symbols a
    /// contracts file names, in any assembly).
    /// </summary>
    public static BodyFilter Build(
        Compilation compilation,
        IEnumerable<INamedTypeSymbol?> vocabulary,
        Func<ISymbol, bool> carries,
        IEnumerable<ISymbol> extra,
        CancellationToken cancellationToken)
    {
        var reach = new Reach();
        var vocabularyAssemblies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in vocabulary)
        {
            if (attribute?.ContainingAssembly is { } assembly)
            {
                vocabularyAssemblies.Add(assembly.Identity.Name);
            }
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            SourceMembers.Read(tree.GetRoot(cancellationToken), reach, cancellationToken);
        }

        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (SeesVocabulary(assembly, vocabularyAssemblies))
            {
                Walk(assembly.GlobalNamespace, carries, reach, cancellationToken);
            }
        }

        foreach (var symbol in extra)
        {
            reach.Add(symbol is IParameterSymbol { ContainingSymbol: { } owner } ? owner : symbol);
        }

        return reach.ToFilter();
    }

    /// <summary>An assembly can attach the attributes only if it defines them or references an assembly that does.</summary>
    private static bool SeesVocabulary(IAssemblySymbol assembly, HashSet<string> vocabularyAssemblies)
    {
        if (vocabularyAssemblies.Contains(assembly.Identity.Name))
        {
            return true;
        }

        foreach (var module in assembly.Modules)
        {
            foreach (var reference in module.ReferencedAssemblies)
            {
                if (vocabularyAssemblies.Contains(reference.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void Walk(INamespaceSymbol root, Func<ISymbol, bool> carries, Reach reach, CancellationToken cancellationToken)
    {
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var container = pending.Pop();
            foreach (var member in container.GetMembers())
            {
                if (member is INamespaceOrTypeSymbol nested)
                {
                    pending.Push(nested);
                }
                else if (carries(member))
                {
                    reach.Add(member);
                }
            }
        }
    }

    /// <summary>What the walk found so far: names, tokens, and the two cases no token shows.</summary>
    internal sealed class Reach
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly HashSet<SyntaxKind> _tokens = new();
        private bool _everyBody;
        private bool _constructors;

        public void Add(ISymbol symbol)
        {
            switch (symbol)
            {
                case IMethodSymbol method:
                    AddMethod(method);
                    break;
                case IPropertySymbol { IsIndexer: true }:
                    _tokens.Add(SyntaxKind.OpenBracketToken);
                    break;
                case IPropertySymbol property:
                    AddName(property.Name);
                    break;
                default:
                    _names.Add(symbol.Name);
                    break;
            }
        }

        public void AddName(string name)
        {
            _names.Add(name);
            AddImplicitCalls(name);
        }

        public void AddConstructor(string typeName)
        {
            _names.Add(typeName);
            _tokens.Add(SyntaxKind.NewKeyword);
            _tokens.Add(SyntaxKind.ThisKeyword);
            _tokens.Add(SyntaxKind.BaseKeyword);
            _constructors = true;
        }

        public void AddIndexer() => _tokens.Add(SyntaxKind.OpenBracketToken);

        public void AddEveryBody() => _everyBody = true;

        public BodyFilter ToFilter() =>
            new(_names.ToImmutableHashSet(StringComparer.Ordinal), _tokens.ToImmutableHashSet(), _everyBody, _constructors);

        private void AddMethod(IMethodSymbol method)
        {
            switch (method.MethodKind)
            {
                case MethodKind.Constructor or MethodKind.StaticConstructor:
                    // `new T(…)`, `new()`, an alias of T, `this(…)`, `base(…)` and the implicit base() call.
                    AddConstructor(method.ContainingType.Name);
                    return;
                case MethodKind.UserDefinedOperator or MethodKind.Conversion or MethodKind.DelegateInvoke
                    or MethodKind.BuiltinOperator or MethodKind.FunctionPointerSignature:
                    _everyBody = true;
                    return;
                case MethodKind.Destructor:
                    return;
                case MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove
                    or MethodKind.EventRaise:
                    _names.Add(method.Name);
                    if (method.AssociatedSymbol is { } associated)
                    {
                        Add(associated);
                    }

                    return;
            }

            AddName(method.Name);
            foreach (var implemented in method.ExplicitInterfaceImplementations)
            {
                AddName(implemented.Name);
            }
        }

        /// <summary>Names C# calls on its own: a pattern-based <c>using</c>, <c>foreach</c>, <c>await</c>, query or initializer.</summary>
        private void AddImplicitCalls(string name)
        {
            switch (name)
            {
                case "Dispose" or "DisposeAsync":
                    _tokens.Add(SyntaxKind.UsingKeyword);
                    _tokens.Add(SyntaxKind.ForEachKeyword);
                    break;
                case "GetEnumerator" or "GetAsyncEnumerator" or "MoveNext" or "MoveNextAsync" or "get_Current":
                    _tokens.Add(SyntaxKind.ForEachKeyword);
                    break;
                case "GetAwaiter" or "GetResult" or "OnCompleted" or "get_IsCompleted":
                    _tokens.Add(SyntaxKind.AwaitKeyword);
                    break;
                case "Add":
                    // Collection initializers and collection expressions.
                    _tokens.Add(SyntaxKind.NewKeyword);
                    _tokens.Add(SyntaxKind.OpenBracketToken);
                    break;
                case "Slice" or "Length" or "Count":
                    // `span[^1]` and `span[1..]` read Length or Count and call Slice without naming them.
                    _tokens.Add(SyntaxKind.OpenBracketToken);
                    break;
                case "Deconstruct" or "AppendLiteral" or "AppendFormatted":
                    _everyBody = true;
                    break;
                default:
                    if (QueryMethods.Contains(name))
                    {
                        _tokens.Add(SyntaxKind.FromKeyword);
                    }

                    break;
            }
        }
    }
}
