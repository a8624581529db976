using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>Runs the flow core directly over one method of a source compiled beside the sim prelude, to test the facts it records.</summary>
internal static class FlowHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll" or "System.Threading.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    public static CSharpCompilation Compile(string source)
    {
        var trees = AttributeSources.All.Select(attribute => CSharpSyntaxTree.ParseText(attribute.Text))
            .Append(CSharpSyntaxTree.ParseText(SimPrelude.Source))
            .Append(CSharpSyntaxTree.ParseText(source));
        var compilation = CSharpCompilation.Create("FlowHarness", trees, References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    /// <summary>The events the core records for method <paramref name="methodName"/> of <paramref name="source"/>.</summary>
    public static ImmutableArray<FlowEvent> EventsOf(string source, string methodName) =>
        EventsOf(source, methodName, visitsPerTarget: 64, visitAllowance: 1000);

    /// <summary>The events recorded with a chosen visit budget (to exhaust it on purpose).</summary>
    public static ImmutableArray<FlowEvent> EventsOf(string source, string methodName, int visitsPerTarget, int visitAllowance)
    {
        var compilation = Compile(source);
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == methodName);
        var body = (IMethodBodyOperation)model.GetOperation(method)!;
        var flow = CompilationFlow.Create(compilation)!;
        var sink = new FlowEventSink();
        FunctionFlowAnalysis.Run(flow.Contracts, ControlFlowGraph.Create(body), model.GetDeclaredSymbol(method), sink, default, visitsPerTarget, visitAllowance);
        return sink.ToImmutable();
    }

    /// <summary>The single event of <paramref name="kind"/> on the value named <paramref name="valueName"/>.</summary>
    public static FlowEvent Single(ImmutableArray<FlowEvent> events, FlowEventKind kind, string valueName) =>
        Assert.Single(events, flowEvent => flowEvent.Kind == kind && flowEvent.ValueName == valueName);
}
