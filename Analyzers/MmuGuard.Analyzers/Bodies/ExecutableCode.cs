using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MmuGuard.Analyzers.Bodies;

/// <summary>
/// The executable code of one code block (what a code-block callback hands out as <c>CodeBlock</c>), and its
/// operations bound on demand: the same operation blocks an operation-block callback would receive, so an analyzer
/// that registers code-block actions binds only the bodies its <see cref="BodyFilter"/> admits.
/// </summary>
internal static class ExecutableCode
{
    /// <summary>The bodies, expression bodies, initializers and constructor initializers of <paramref name="codeBlock"/>.</summary>
    public static ImmutableArray<SyntaxNode> Of(SyntaxNode codeBlock)
    {
        var nodes = ImmutableArray.CreateBuilder<SyntaxNode>();
        switch (codeBlock)
        {
            case ConstructorDeclarationSyntax constructor:
                AddIfAny(nodes, constructor.Initializer);
                AddIfAny(nodes, constructor.Body);
                AddIfAny(nodes, constructor.ExpressionBody);
                break;
            case BaseMethodDeclarationSyntax method:
                AddIfAny(nodes, method.Body);
                AddIfAny(nodes, method.ExpressionBody);
                break;
            case AccessorDeclarationSyntax accessor:
                AddIfAny(nodes, accessor.Body);
                AddIfAny(nodes, accessor.ExpressionBody);
                break;
            case PropertyDeclarationSyntax property:
                AddIfAny(nodes, property.ExpressionBody);
                AddIfAny(nodes, property.Initializer);
                break;
            case IndexerDeclarationSyntax indexer:
                AddIfAny(nodes, indexer.ExpressionBody);
                break;
            case VariableDeclaratorSyntax declarator:
                AddIfAny(nodes, declarator.Initializer);
                break;
            case BaseFieldDeclarationSyntax field:
                foreach (var declarator in field.Declaration.Variables)
                {
                    AddIfAny(nodes, declarator.Initializer);
                }

                break;
            case EnumMemberDeclarationSyntax member:
                AddIfAny(nodes, member.EqualsValue);
                break;
            case CompilationUnitSyntax unit:
                foreach (var member in unit.Members)
                {
                    if (member is GlobalStatementSyntax global)
                    {
                        nodes.Add(global.Statement);
                    }
                }

                break;
            case TypeDeclarationSyntax type:
                // A primary constructor's call to the base constructor: `record R(int X) : Base(X)`.
                if (type.BaseList is { } bases)
                {
                    foreach (var baseType in bases.Types)
                    {
                        if (baseType.IsKind(SyntaxKind.PrimaryConstructorBaseType))
                        {
                            nodes.Add(baseType);
                        }
                    }
                }

                break;
            case BlockSyntax or ArrowExpressionClauseSyntax or EqualsValueClauseSyntax:
                nodes.Add(codeBlock);
                break;
        }

        return nodes.ToImmutable();
    }

    /// <summary>The operation of each node (the operation blocks of an operation-block callback).</summary>
    public static ImmutableArray<IOperation> Bind(SemanticModel model, ImmutableArray<SyntaxNode> nodes, CancellationToken cancellationToken)
    {
        var blocks = ImmutableArray.CreateBuilder<IOperation>(nodes.Length);
        foreach (var node in nodes)
        {
            if (model.GetOperation(node, cancellationToken) is { } operation)
            {
                blocks.Add(operation);
            }
        }

        return blocks.ToImmutable();
    }

    /// <summary>The outermost operation above <paramref name="operation"/>: the body a control-flow graph is built for.</summary>
    public static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>The control-flow graph of the body <paramref name="block"/> belongs to, or <see langword="null"/> for a root no graph is built for.</summary>
    public static ControlFlowGraph? GraphOf(IOperation block, CancellationToken cancellationToken) =>
        RootOf(block) switch
        {
            IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IConstructorBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IBlockOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IFieldInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellationToken),
            IPropertyInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellationToken),
            IParameterInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellationToken),
            _ => null,
        };

    private static void AddIfAny(ImmutableArray<SyntaxNode>.Builder nodes, SyntaxNode? node)
    {
        if (node is not null)
        {
            nodes.Add(node);
        }
    }
}
