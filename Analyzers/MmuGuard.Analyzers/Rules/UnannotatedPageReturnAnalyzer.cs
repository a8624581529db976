using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.FlowAnalysis;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Analyzers.Rules.Inference;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0016 (Info): a method without return attributes whose every <c>return</c> hands back, directly or through a
/// local that is never reassigned, the result of a <c>[return: Pinned]</c> call (or of a <c>[return: Borrowed]</c>
/// call). Contracts are never inferred across methods, so such a helper hides its pin from every caller.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnannotatedPageReturnAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property naming the attribute to add: <c>Pinned</c> or <c>Borrowed</c>.</summary>
    public const string AttributeProperty = "Attribute";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnannotatedPageReturn);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var shared = CompilationContracts.Of(start.Compilation);
            var known = shared.Known;
            if (!known.SeesAttributes || (known.Pinned is null && known.Borrowed is null))
            {
                return;
            }

            var hypotheses = new ContractHypotheses(shared.WithContractsFiles(start.Options, start.CancellationToken));

            start.RegisterOperationBlockStartAction(block => AnalyzeBlock(block, hypotheses));
        });
    }

    /// <summary>
    /// Runs for every body of the compilation, so the body is walked only when the driver's own walk has shown a
    /// call that returns (or writes through <c>out</c>) a pinned or borrowed page in it, a call that pins, or a read
    /// of a <c>[NotifierCovered]</c> member.
    /// </summary>
    private static void AnalyzeBlock(OperationBlockStartAnalysisContext context, ContractHypotheses hypotheses)
    {
        var contracts = hypotheses.Actual;
        // Across a virtual or interface boundary the contract belongs to the shared declaration: not inferred.
        if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || !InferenceScope.IsInferable(method))
        {
            return;
        }

        var returnOpen = !method.ReturnsVoid
            && !method.ReturnsByRef
            && !method.ReturnsByRefReadonly
            && !contracts.Of(method).Has(Contract.ReturnPinned | Contract.ReturnBorrowed);
        var openOuts = OpenOutParameters(method, contracts);
        if (!returnOpen && openOuts.IsEmpty)
        {
            return;
        }

        var pageSource = new PageSourceSeen();
        context.RegisterOperationAction(
            invocation =>
            {
                var callee = ((IInvocationOperation)invocation.Operation).TargetMethod;
                if (ReturnsOrWritesPage(callee, contracts))
                {
                    pageSource.Seen = true;
                }
                else if (TakesPin(callee, contracts))
                {
                    pageSource.Seen = true;
                    pageSource.PinTaken = true;
                }
            },
            OperationKind.Invocation);
        context.RegisterOperationAction(
            member =>
            {
                if (CoveredMember.Read(member.Operation, contracts))
                {
                    pageSource.Seen = true;
                }
            },
            OperationKind.FieldReference,
            OperationKind.PropertyReference);
        context.RegisterOperationBlockEndAction(end =>
        {
            if (!pageSource.Seen)
            {
                return;
            }

            if (InferenceScope.BodyOf(end.OperationBlocks) is not { } body)
            {
                return;
            }

            // A pin the body takes itself is proved by a flow run, done once and only when no plain source settles it.
            var taken = pageSource.PinTaken ? new TakenPins(end, method, body, hypotheses) : null;
            var returned = returnOpen ? ReturnedPages.Classify(body.Root, contracts) : Contract.None;
            if (returned == Contract.None && returnOpen && taken is not null && taken.Proves(outParameter: null))
            {
                returned = Contract.ReturnPinned;
            }

            if (returned != Contract.None)
            {
                Report(end, method, method.Locations, parameter: null, returned == Contract.ReturnPinned);
            }

            foreach (var parameter in openOuts)
            {
                var written = OutParameterPages.Classify(body.Root, parameter, contracts);
                if (written == Contract.None && taken is not null && taken.Proves(parameter))
                {
                    written = Contract.Pinned;
                }

                if (written != Contract.None)
                {
                    Report(end, method, parameter.Locations, parameter, written == Contract.Pinned);
                }
            }
        });
    }

    private static ImmutableArray<IParameterSymbol> OpenOutParameters(IMethodSymbol method, ContractCache contracts)
    {
        var open = ImmutableArray.CreateBuilder<IParameterSymbol>();
        foreach (var parameter in method.Parameters)
        {
            // Any contract already says what the value is (a [TryAcquiresPin] out is pinned only on success).
            if (parameter.RefKind == RefKind.Out && contracts.Of(parameter) == Contract.None)
            {
                open.Add(parameter);
            }
        }

        return open.ToImmutable();
    }

    private static bool ReturnsOrWritesPage(IMethodSymbol callee, ContractCache contracts)
    {
        if (contracts.Of(callee).Has(Contract.ReturnPinned | Contract.ReturnBorrowed))
        {
            return true;
        }

        foreach (var parameter in callee.Parameters)
        {
            if (parameter.RefKind == RefKind.Out && contracts.Of(parameter).Has(Contract.Pinned | Contract.Borrowed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A callee that pins its receiver or an argument (<c>[AcquiresPin]</c>, <c>[TryAcquiresPin]</c>).</summary>
    private static bool TakesPin(IMethodSymbol callee, ContractCache contracts)
    {
        const Contract pins = Contract.AcquiresPin | Contract.TryAcquiresPin;
        var contract = contracts.Of(callee);
        if (contract.Has(pins))
        {
            return true;
        }

        if (contract.Has(Contract.HasAnnotatedParameter))
        {
            foreach (var parameter in callee.Parameters)
            {
                if (contracts.Of(parameter).Has(pins))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Per body: whether a page-returning or pinning call was seen (set from the driver's operation callbacks).</summary>
    private sealed class PageSourceSeen
    {
        public volatile bool Seen;

        public volatile bool PinTaken;
    }

    /// <summary>The plain flow run of one body, made on first need, and the hypotheses tested against it.</summary>
    private sealed class TakenPins
    {
        private readonly OperationBlockAnalysisContext _context;
        private readonly IMethodSymbol _method;
        private readonly (IOperation Block, IOperation Root) _body;
        private readonly ContractHypotheses _hypotheses;
        private ControlFlowGraph? _graph;
        private FlowOutcome? _plain;

        public TakenPins(OperationBlockAnalysisContext context, IMethodSymbol method, (IOperation Block, IOperation Root) body, ContractHypotheses hypotheses)
        {
            _context = context;
            _method = method;
            _body = body;
            _hypotheses = hypotheses;
        }

        public bool Proves(IParameterSymbol? outParameter)
        {
            _graph ??= _context.GetControlFlowGraph(_body.Block);
            _plain ??= _hypotheses.Run(_graph, _method, subject: null, Contract.None, _context.CancellationToken);
            return TakenPinInference.ProvesPinned(_graph, _method, outParameter, _body.Root, _hypotheses, _plain, _context.CancellationToken);
        }
    }

    private static void Report(OperationBlockAnalysisContext context, IMethodSymbol method, ImmutableArray<Location> locations, IParameterSymbol? parameter, bool pinned)
    {
        var attribute = pinned ? "Pinned" : "Borrowed";
        var properties = ImmutableDictionary<string, string?>.Empty.Add(AttributeProperty, attribute);
        var location = locations.IsDefaultOrEmpty ? Location.None : locations[0];
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.UnannotatedPageReturn,
            location,
            properties,
            method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
            pinned ? "pinned" : "borrowed",
            parameter is null ? "its return value" : "out parameter '" + parameter.Name + "'",
            parameter is null ? "return: " + attribute : attribute));
    }
}
