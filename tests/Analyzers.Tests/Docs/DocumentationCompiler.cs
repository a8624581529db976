using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Tests.Infrastructure;
using MmuGuard.Analyzers.Tests.Meta;
using MmuGuard.Generators;

namespace MmuGuard.Analyzers.Tests.Docs;

/// <summary>What compiling one documentation block gave: the distinct MMU diagnostic IDs, and anything that means it does not build.</summary>
internal sealed record BlockCompilation(IReadOnlyList<string> MmuIds, IReadOnlyList<string> Failures)
{
    /// <summary>Every problem with the block measured against what its fence promises; empty when it keeps the promise.</summary>
    public IReadOnlyList<string> ProblemsAgainst(IReadOnlyList<string> expectedIds)
    {
        var problems = new List<string>(Failures);
        if (!MmuIds.SequenceEqual(expectedIds, StringComparer.Ordinal))
        {
            problems.Add($"expected MMU diagnostics [{string.Join(", ", expectedIds)}], got [{string.Join(", ", MmuIds)}]");
        }

        return problems;
    }
}

/// <summary>
/// Compiles a documentation block as a consumer's net8.0 project would see it: C# 12, nullable on, no implicit usings,
/// the .NET 8 reference assemblies and MmuGuard.Runtime, the bookkeeping generator, then every MmuGuard analyzer.
/// </summary>
internal static class DocumentationCompiler
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        Net80References.All.Add(MetadataReference.CreateFromFile(typeof(MmuGuard.Physical.Pfn).Assembly.Location)));

    public static BlockCompilation Compile(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions, path: "Block.cs");
        var hasTopLevelStatements = tree.GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "DocumentationBlock",
            new[] { tree },
            References.Value,
            new CSharpCompilationOptions(
                hasTopLevelStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));

        CSharpGeneratorDriver.Create(new[] { new MappingBookkeepingGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);

        var diagnostics = generated
            .WithAnalyzers(ShippedRules.Analyzers.ToImmutableArray())
            .GetAllDiagnosticsAsync(CancellationToken.None)
            .GetAwaiter()
            .GetResult()
            .Concat(generatorDiagnostics)
            .ToArray();

        var mmuIds = diagnostics
            .Where(d => d.Id.StartsWith("MMU", StringComparison.Ordinal) && d.Severity != DiagnosticSeverity.Hidden)
            .Select(d => d.Id)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();
        var failures = diagnostics
            .Where(d => !d.Id.StartsWith("MMU", StringComparison.Ordinal)
                && (d.Severity == DiagnosticSeverity.Error || d.Id is "AD0001" or "CS8784" or "CS8785"))
            .Select(d => d.ToString())
            .ToArray();
        return new BlockCompilation(mmuIds, failures);
    }
}
