using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.Bodies;

/// <summary>
/// The source half of <see cref="BodyFilterBuilder"/>: every member declaration with an attribute anywhere in its
/// signature (on itself, its return value, a parameter or an accessor) is taken as possibly contracted, read from
/// syntax alone. Binding the attributes of every source member would cost each new compilation (each IDE keystroke)
/// a pass over the whole project; a member whose attribute turns out not to be a contract only admits a few more bodies.
/// Bodies are not entered: a local function's attributes are the body's own business (<see cref="BodyFilter"/>).
/// </summary>
internal static class SourceMembers
{
    /// <summary>
    /// What each syntax tree reaches, read once per tree. The key is immutable and the value a function of the tree's
    /// syntax alone, never changed once stored, so the table holds no state a result could depend on; it lives exactly as
    /// long as the tree, as <see cref="Flow.CompilationContracts"/>' table lives as long as its compilation. An IDE's
    /// new compilation after a keystroke shares every unchanged tree with the last one, so only the edited tree is read.
    /// </summary>
    private static readonly ConditionalWeakTable<SyntaxTree, BodyFilterBuilder.Reach> PerTree = new();

    /// <summary>What the member declarations of <paramref name="tree"/> reach (do not change the result).</summary>
    public static BodyFilterBuilder.Reach Of(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (PerTree.TryGetValue(tree, out var known))
        {
            return known;
        }

        // A cancelled read throws before anything is stored; two threads that read the same tree keep the first result.
        var read = new BodyFilterBuilder.Reach();
        Read(tree.GetRoot(cancellationToken), read, cancellationToken);
        return PerTree.GetValue(tree, _ => read);
    }

    private static void Read(SyntaxNode root, BodyFilterBuilder.Reach reach, CancellationToken cancellationToken)
    {
        var pending = new Stack<SyntaxNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var child in pending.Pop().ChildNodes())
            {
                switch (child)
                {
                    case BaseNamespaceDeclarationSyntax:
                        pending.Push(child);
                        break;
                    case TypeDeclarationSyntax type:
                        if (type.ParameterList is { } primary && Attributed(primary))
                        {
                            // A primary constructor with an annotated parameter (and a record's positional properties).
                            reach.AddConstructor(type.Identifier.ValueText);
                            foreach (var parameter in primary.Parameters)
                            {
                                reach.AddName(parameter.Identifier.ValueText);
                            }
                        }

                        pending.Push(child);
                        break;
                    case MemberDeclarationSyntax member:
                        Read(member, reach);
                        break;
                }
            }
        }
    }

    private static void Read(MemberDeclarationSyntax member, BodyFilterBuilder.Reach reach)
    {
        switch (member)
        {
            case MethodDeclarationSyntax method when member.AttributeLists.Count > 0 || Attributed(method.ParameterList) || ReturnsMapResult(method):
                reach.AddName(method.Identifier.ValueText);
                break;
            case ConstructorDeclarationSyntax constructor when member.AttributeLists.Count > 0 || Attributed(constructor.ParameterList):
                reach.AddConstructor(constructor.Identifier.ValueText);
                break;
            case OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax
                when member.AttributeLists.Count > 0 || Attributed(((BaseMethodDeclarationSyntax)member).ParameterList):
                reach.AddEveryBody();
                break;
            case DelegateDeclarationSyntax @delegate when member.AttributeLists.Count > 0 || Attributed(@delegate.ParameterList):
                reach.AddEveryBody();
                break;
            case IndexerDeclarationSyntax indexer when member.AttributeLists.Count > 0 || Attributed(indexer.ParameterList) || Attributed(indexer.AccessorList):
                reach.AddIndexer();
                break;
            case PropertyDeclarationSyntax property when member.AttributeLists.Count > 0 || Attributed(property.AccessorList):
                reach.AddName(property.Identifier.ValueText);
                break;
            case EventDeclarationSyntax @event when member.AttributeLists.Count > 0 || Attributed(@event.AccessorList):
                reach.AddName(@event.Identifier.ValueText);
                break;
            case BaseFieldDeclarationSyntax field when member.AttributeLists.Count > 0:
                foreach (var declarator in field.Declaration.Variables)
                {
                    reach.AddName(declarator.Identifier.ValueText);
                }

                break;
        }
    }

    /// <summary>
    /// A method returning <c>MapResult</c> (the generated <c>Map…</c> members, unattributed): its outcome is a contract
    /// by type (discarding it is MMU0003), so a body calling it is admitted. Read from syntax by the type's last name.
    /// </summary>
    private static bool ReturnsMapResult(MethodDeclarationSyntax method) =>
        method.ReturnType switch
        {
            IdentifierNameSyntax name => name.Identifier.ValueText == MapResultName,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText == MapResultName,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText == MapResultName,
            _ => false,
        };

    private const string MapResultName = "MapResult";

    private static readonly Func<AttributeSyntax, bool> AnyAttribute = static _ => true;

    private static bool Attributed(BaseParameterListSyntax parameters) => SignatureAttributes.Any(parameters, AnyAttribute);

    private static bool Attributed(AccessorListSyntax? accessors) => SignatureAttributes.Any(accessors, AnyAttribute);
}
