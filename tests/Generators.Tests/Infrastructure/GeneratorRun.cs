using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Generators.Tests.Infrastructure;

/// <summary>One generator run: the driver's result, the compilation with the generated sources, and the generator's diagnostics.</summary>
internal sealed record GeneratorRun(GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public ImmutableArray<GeneratedSourceResult> GeneratedSources => Result.Results.Single().GeneratedSources;

    public Exception? GeneratorException => Result.Results.Single().Exception;

    /// <summary>The output compilation's errors and warnings, which must be none for generated code to be usable.</summary>
    public IReadOnlyList<Diagnostic> CompilationProblems =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>
    /// The output compilation's errors and warnings located in a generated file: the generator must refuse a shape it
    /// cannot compile (the analyzer reports it) rather than write code that breaks the user's build.
    /// </summary>
    public IReadOnlyList<Diagnostic> GeneratedCodeProblems =>
        CompilationProblems
            .Where(problem => GeneratedSources.Any(source => source.SyntaxTree.FilePath == problem.Location.SourceTree?.FilePath))
            .ToList();
}
