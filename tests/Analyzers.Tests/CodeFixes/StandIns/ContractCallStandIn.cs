using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Tests.CodeFixes.StandIns;

/// <summary>
/// A deliberately naive stand-in for one of the flow rules (MMU0002/0004/0005, written on the analyzers-flow
/// branch): it reports the rule's descriptor on every argument bound to a parameter with <see cref="Flagged"/>, at
/// the location the flow rules use (the offending argument). The fixers are tested against it until the real rules
/// land; the fixers themselves only read the location, never the stand-in's logic.
/// </summary>
public abstract class ContractCallStandIn : DiagnosticAnalyzer
{
    private protected abstract DiagnosticDescriptor Descriptor { get; }

    private protected abstract Contract Flagged { get; }

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
                    foreach (var argument in ((IInvocationOperation)operation.Operation).Arguments)
                    {
                        if (contracts.Of(argument.Parameter).Has(Flagged))
                        {
                            operation.ReportDiagnostic(Diagnostic.Create(
                                Descriptor, argument.Syntax.GetLocation(), argument.Syntax.ToString(), "sink", "without the discipline"));
                        }
                    }
                },
                OperationKind.Invocation);
        });
    }
}
