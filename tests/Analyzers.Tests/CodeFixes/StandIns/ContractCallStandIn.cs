using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Tests.CodeFixes.StandIns;

/// <summary>
/// A deliberately naive stand-in for one of the flow rules (MMU0002/0004/0005, written on the analyzers-flow
/// branch): it reports the rule's descriptor wherever <see cref="Offending"/> says, at the location the flow rule
/// documents (the offending argument; the variable declaration for leaks). The fixers are tested against it until
/// the real rules land; a fixer reads only a diagnostic's location, never the stand-in's logic.
/// </summary>
public abstract class ContractCallStandIn : DiagnosticAnalyzer
{
    private protected abstract DiagnosticDescriptor Descriptor { get; }

    private protected abstract OperationKind Kind { get; }

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.TryCreate(start.Compilation);
            if (known is null)
            {
                return;
            }

            var contracts = new ContractCache(known);
            start.RegisterOperationAction(
                operation =>
                {
                    foreach (var location in Offending(operation.Operation, contracts))
                    {
                        operation.ReportDiagnostic(Diagnostic.Create(Descriptor, location, "value", "callee", "without the discipline"));
                    }
                },
                Kind);
        });
    }

    private protected abstract IEnumerable<Location> Offending(IOperation operation, ContractCache contracts);
}
