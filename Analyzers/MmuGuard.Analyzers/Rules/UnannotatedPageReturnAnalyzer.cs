using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.FlowAnalysis;
using MmuGuard.Analyzers.Bodies;
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

            var contracts = shared.WithContractsFiles(start.Options, start.CancellationToken);

            var bodies = ContractBodies.Of(start.Compilation, contracts, start.CancellationToken);
            var hypotheses = new ContractHypotheses(contracts);

            // A code-block action: only bodies whose syntax can name a page-returning call are bound (docs/design/bodies.md).
            start.RegisterCodeBlockAction(block => AnalyzeBlock(block, bodies, hypotheses));
        });
    }

    /// <summary>
    /// Runs for every code block of the compilation; the body is bound only when the pre-filter admits it, and walked
    /// only when binding shows a call that returns (or writes through <c>out</c>) a pinned or borrowed page in it, a
    /// call that pins, or a read of a <c>[NotifierCovered]</c> member.
    /// </summary>
    private static void AnalyzeBlock(CodeBlockAnalysisContext context, ContractBodies bodies, ContractHypotheses hypotheses)
    {
        var contracts = bodies.Contracts;

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

        var executable = ExecutableCode.Of(context.CodeBlock);
        if (!bodies.Admits(method, context.CodeBlock, executable))
        {
            return;
        }

        var blocks = ExecutableCode.Bind(context.SemanticModel, executable, context.CancellationToken);
        var sources = PageSourcesIn(blocks, contracts);
        if (sources == PageSources.None || InferenceScope.BodyOf(blocks) is not { } body)
        {
            return;
        }

        // A pin the body takes itself is proved by a flow run, done once and only when no plain source settles it.
        var taken = (sources & PageSources.PinTaken) != 0 ? new TakenPins(context, method, body, hypotheses) : null;
        var returned = returnOpen ? ReturnedPages.Classify(body.Root, contracts) : Contract.None;
        if (returned == Contract.None && returnOpen && taken is not null && taken.Proves(outParameter: null))
        {
            returned = Contract.ReturnPinned;
        }

        if (returned != Contract.None)
        {
            Report(context, method, method.Locations, parameter: null, returned == Contract.ReturnPinned);
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
                Report(context, method, parameter.Locations, parameter, written == Contract.Pinned);
            }
        }
    }

    /// <summary>
    /// What in <paramref name="blocks"/> (lambdas and local functions included) can give a page to hand out: a call
    /// that returns or writes a pinned or borrowed page, a read of a <c>[NotifierCovered]</c> member, a call that pins.
    /// </summary>
    private static PageSources PageSourcesIn(ImmutableArray<IOperation> blocks, ContractCache contracts)
    {
        var found = PageSources.None;
        var pending = new Stack<IOperation>(blocks);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IInvocationOperation invocation)
            {
                if (ReturnsOrWritesPage(invocation.TargetMethod, contracts))
                {
                    found |= PageSources.Returned;
                }
                else if (TakesPin(invocation.TargetMethod, contracts))
                {
                    found |= PageSources.PinTaken;
                }
            }
            else if (operation is IFieldReferenceOperation or IPropertyReferenceOperation && contracts.ReadsMemberWith(operation, Contract.NotifierCovered))
            {
                found |= PageSources.Returned;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return found;
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

    /// <summary>What a body holds that can give it a page to hand out.</summary>
    [System.Flags]
    private enum PageSources
    {
        None = 0,

        /// <summary>A page-returning call or a <c>[NotifierCovered]</c> read: the plain classification may settle it.</summary>
        Returned = 1 << 0,

        /// <summary>A call that pins: only a flow run can prove the pin leaves through the return or an <c>out</c>.</summary>
        PinTaken = 1 << 1,
    }

    /// <summary>The plain flow run of one body, made on first need, and the hypotheses tested against it.</summary>
    private sealed class TakenPins
    {
        private readonly CodeBlockAnalysisContext _context;
        private readonly IMethodSymbol _method;
        private readonly (IOperation Block, IOperation Root) _body;
        private readonly ContractHypotheses _hypotheses;
        private ControlFlowGraph? _graph;
        private FlowOutcome? _plain;

        public TakenPins(CodeBlockAnalysisContext context, IMethodSymbol method, (IOperation Block, IOperation Root) body, ContractHypotheses hypotheses)
        {
            _context = context;
            _method = method;
            _body = body;
            _hypotheses = hypotheses;
        }

        public bool Proves(IParameterSymbol? outParameter)
        {
            _graph ??= ExecutableCode.GraphOf(_body.Block, _context.CancellationToken);
            if (_graph is null)
            {
                return false;
            }

            _plain ??= _hypotheses.Run(_graph, _method, subject: null, Contract.None, _context.CancellationToken);
            return TakenPinInference.ProvesPinned(_graph, _method, outParameter, _body.Root, _hypotheses, _plain, _context.CancellationToken);
        }
    }

    private static void Report(CodeBlockAnalysisContext context, IMethodSymbol method, ImmutableArray<Location> locations, IParameterSymbol? parameter, bool pinned)
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
