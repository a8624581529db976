using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>Which members the inference rules suggest contracts for, and where their body is.</summary>
internal static class InferenceScope
{
    /// <summary>
    /// Ordinary methods and constructors with a body of their own. Virtual, abstract, override and
    /// interface-implementing methods are skipped: their contract belongs to the declaration every implementation
    /// shares, and one body does not prove what the others do.
    /// </summary>
    public static bool IsInferable(IMethodSymbol method) =>
        method.MethodKind is MethodKind.Ordinary or MethodKind.Constructor
        && !method.IsVirtual
        && !method.IsAbstract
        && !method.IsOverride
        && !method.IsExtern
        && method.ExplicitInterfaceImplementations.IsEmpty
        && !ImplementsInterfaceMember(method);

    /// <summary>
    /// The block of <paramref name="blocks"/> a control-flow graph is built for (the callback may hand out several
    /// blocks of one body), or <see langword="null"/> when there is no body.
    /// </summary>
    public static (IOperation Block, IOperation Root)? BodyOf(ImmutableArray<IOperation> blocks)
    {
        foreach (var block in blocks)
        {
            var root = block;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block)
            {
                return (block, root);
            }
        }

        return null;
    }

    private static bool ImplementsInterfaceMember(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary || method.DeclaredAccessibility != Accessibility.Public)
        {
            return false;
        }

        var type = method.ContainingType;
        foreach (var contract in type.AllInterfaces)
        {
            foreach (var member in contract.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
