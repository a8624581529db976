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
    /// Every member declaration of <paramref name="compilation"/>'s syntax trees with an attribute anywhere in its
    /// signature (<see cref="SourceMembers"/>): the same for every vocabulary, since no attribute is bound. Each tree is
    /// read once for as long as it lives, so a new compilation that shares its unchanged trees with the last one (the
    /// IDE's, after a keystroke) reads only the edited tree again.
    /// </summary>
    public static Reach ReadSource(Compilation compilation, CancellationToken cancellationToken)
    {
        var reach = new Reach();
        foreach (var tree in compilation.SyntaxTrees)
        {
            reach.AddAll(SourceMembers.Of(tree, cancellationToken));
        }

        return reach;
    }

    /// <summary>
    /// One walk of the referenced assemblies for two vocabularies: the accessible members that
    /// <paramref name="carriesContract"/> accepts, in the assemblies that see one of <paramref name="contractVocabulary"/>,
    /// and those <paramref name="carriesSink"/> accepts, in the assemblies that see one of <paramref name="sinkVocabulary"/>.
    /// </summary>
    public static (Reach Contracts, Reach Sinks) ReadMetadata(
        Compilation compilation,
        IEnumerable<INamedTypeSymbol?> contractVocabulary,
        Func<ISymbol, bool> carriesContract,
        IEnumerable<INamedTypeSymbol?> sinkVocabulary,
        Func<ISymbol, bool>? carriesSink,
        CancellationToken cancellationToken)
    {
        var contracts = new Reach();
        var sinks = new Reach();
        var contractAssemblies = AssembliesOf(contractVocabulary);
        var sinkAssemblies = AssembliesOf(sinkVocabulary);
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            var forContracts = SeesVocabulary(assembly, contractAssemblies);
            var forSinks = carriesSink is not null && SeesVocabulary(assembly, sinkAssemblies);
            if (forContracts || forSinks)
            {
                var walk = new MetadataWalk(
                    assembly.GivesAccessTo(compilation.Assembly),
                    forContracts ? carriesContract : null,
                    contracts,
                    forSinks ? carriesSink : null,
                    sinks);
                walk.Run(assembly.GlobalNamespace, cancellationToken);
            }
        }

        return (contracts, sinks);
    }

    private static HashSet<string> AssembliesOf(IEnumerable<INamedTypeSymbol?> vocabulary)
    {
        var assemblies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in vocabulary)
        {
            if (attribute?.ContainingAssembly is { } assembly)
            {
                assemblies.Add(assembly.Identity.Name);
            }
        }

        return assemblies;
    }

    /// <summary>An assembly can attach the attributes only if it defines them or references an assembly that does.</summary>
    private static bool SeesVocabulary(IAssemblySymbol assembly, HashSet<string> vocabularyAssemblies)
    {
        if (vocabularyAssemblies.Count == 0)
        {
            return false;
        }

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

    /// <summary>
    /// The members of one referenced assembly that C# code of the compilation can reach: no private type or member
    /// (but an explicit interface implementation, which metadata declares private and a <c>using</c> or the flow's
    /// <c>Dispose</c> lookup reaches through the interface), and internal ones only where the assembly grants the
    /// compilation access. Code that compiles names nothing else, so leaving the rest unread changes no admission.
    /// </summary>
    private sealed class MetadataWalk
    {
        private readonly bool _seesInternals;
        private readonly Func<ISymbol, bool>? _carriesContract;
        private readonly Reach _contracts;
        private readonly Func<ISymbol, bool>? _carriesSink;
        private readonly Reach _sinks;

        public MetadataWalk(bool seesInternals, Func<ISymbol, bool>? carriesContract, Reach contracts, Func<ISymbol, bool>? carriesSink, Reach sinks)
        {
            _seesInternals = seesInternals;
            _carriesContract = carriesContract;
            _contracts = contracts;
            _carriesSink = carriesSink;
            _sinks = sinks;
        }

        public void Run(INamespaceSymbol root, CancellationToken cancellationToken)
        {
            var pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var container = pending.Pop();
                foreach (var member in container.GetMembers())
                {
                    if (!Reachable(member))
                    {
                        continue;
                    }

                    if (member is INamespaceOrTypeSymbol nested)
                    {
                        pending.Push(nested);
                        continue;
                    }

                    if (_carriesContract is not null && _carriesContract(member))
                    {
                        _contracts.Add(member);
                    }

                    if (_carriesSink is not null && _carriesSink(member))
                    {
                        _sinks.Add(member);
                    }
                }
            }
        }

        private bool Reachable(ISymbol member) =>
            member.DeclaredAccessibility switch
            {
                Accessibility.Private => ImplementsInterface(member),
                Accessibility.Internal or Accessibility.ProtectedAndInternal => _seesInternals,
                _ => true,
            };

        private static bool ImplementsInterface(ISymbol member) =>
            member switch
            {
                IMethodSymbol method => !method.ExplicitInterfaceImplementations.IsEmpty,
                IPropertySymbol property => !property.ExplicitInterfaceImplementations.IsEmpty,
                IEventSymbol @event => !@event.ExplicitInterfaceImplementations.IsEmpty,
                _ => false,
            };
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

        /// <summary>Adds everything <paramref name="other"/> reaches (which is left as it is).</summary>
        public void AddAll(Reach other)
        {
            _names.UnionWith(other._names);
            _tokens.UnionWith(other._tokens);
            _everyBody |= other._everyBody;
            _constructors |= other._constructors;
        }

        /// <summary>The filter that admits what any of <paramref name="parts"/> reaches.</summary>
        public static BodyFilter ToFilter(params Reach[] parts)
        {
            var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            var tokens = ImmutableHashSet.CreateBuilder<SyntaxKind>();
            var everyBody = false;
            var constructors = false;
            foreach (var part in parts)
            {
                names.UnionWith(part._names);
                tokens.UnionWith(part._tokens);
                everyBody |= part._everyBody;
                constructors |= part._constructors;
            }

            return new BodyFilter(names.ToImmutable(), tokens.ToImmutable(), everyBody, constructors);
        }

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
