using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MmuGuard.FloorAnalyzers;

/// <summary>
/// The work of the <c>Bind</c> floor on one code block: bind it and build its control-flow graph, nothing more. One
/// source for the floor analyzer of this project and for <c>analyzer-split</c>'s in-process floor (tests/Benchmarks
/// compiles this file too).
/// </summary>
internal static class FloorBinding
{
    public static void BindAndBuildGraph(CodeBlockAnalysisContext block) =>
        _ = block.SemanticModel.GetOperation(block.CodeBlock, block.CancellationToken) switch
        {
            IMethodBodyOperation method => ControlFlowGraph.Create(method, block.CancellationToken),
            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, block.CancellationToken),
            IBlockOperation { Parent: null } body => ControlFlowGraph.Create(body, block.CancellationToken),
            _ => null,
        };
}
