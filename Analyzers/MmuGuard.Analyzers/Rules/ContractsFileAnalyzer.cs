using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Contracts;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0018–MMU0021: the lines of an <c>MmuGuard.Contracts.txt</c> additional file that attach nothing (malformed,
/// unknown member, unknown word) or that contradict the member's own contract, each reported on its line.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContractsFileAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.ContractsFileMalformedLine,
        Descriptors.ContractsFileUnknownSymbol,
        Descriptors.ContractsFileUnknownContract,
        Descriptors.ContractsFileContradiction);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!HasContractsFile(start.Options.AdditionalFiles))
            {
                return;
            }

            // Parsed once for the compilation, the same parse the flow's contracts come from; each file's action
            // reports the problems on its own lines.
            var file = CompilationContracts.Of(start.Compilation).ContractsFiles(start.Options, start.CancellationToken);
            if (file.Problems.IsEmpty)
            {
                return;
            }

            start.RegisterAdditionalFileAction(additional =>
            {
                foreach (var problem in file.Problems)
                {
                    if (string.Equals(problem.Location.GetLineSpan().Path, additional.AdditionalFile.Path, StringComparison.Ordinal))
                    {
                        additional.ReportDiagnostic(problem);
                    }
                }
            });
        });
    }

    private static bool HasContractsFile(ImmutableArray<AdditionalText> additionalFiles)
    {
        foreach (var file in additionalFiles)
        {
            if (ContractsFile.IsContractsFile(file.Path))
            {
                return true;
            }
        }

        return false;
    }
}
