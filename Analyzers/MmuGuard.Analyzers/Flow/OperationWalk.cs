using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// Walks of an operation tree on an explicit stack: a long <c>u + u + …</c> or <c>&amp;&amp;</c> chain nests
/// tens of thousands of operations deep, and analyzers run on threads with 1 MB stacks (the Windows default).
/// </summary>
internal static class OperationWalk
{
    /// <summary>
    /// <paramref name="root"/> and every operation under it, each parent before its children and siblings in
    /// source order. A struct enumerator over <see cref="IOperation.ChildOperations"/> per node; the only allocation
    /// is the stack (<c>DescendantsAndSelf</c> allocated an iterator per node).
    /// </summary>
    public static IEnumerable<IOperation> PreOrder(IOperation root)
    {
        var pending = new Stack<IOperation>();
        var children = new List<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            yield return operation;
            children.Clear();
            foreach (var child in operation.ChildOperations)
            {
                children.Add(child);
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }
    }
}
