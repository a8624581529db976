using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The transfer functions of one body: how each operation changes the abstract state according to the contracts
/// of what it calls, reads and writes (docs/design/flow.md lists them per attribute), and which events it records.
/// </summary>
internal sealed class OperationTransfer
{
    /// <summary>
    /// The nesting bound for transfer functions: a few frames each, a small part of a 1 MB stack
    /// (DeepShapeTests nests 500 calls on one).
    /// </summary>
    private const int MaxContractDepth = 200;

    private readonly ContractCache _contracts;
    private readonly IMethodSymbol? _function;
    private readonly HashSet<ISymbol> _captured;
    private readonly FlowEventSink _sink;
    private readonly Liveness _liveness;
    private readonly Dictionary<IOperation, BranchOutcome> _canonicalOutcomes = new();

    /// <summary>The pins one call may take, reused by every call (most take none, and a builder per call showed in profiles).</summary>
    private readonly ImmutableArray<PendingPin>.Builder _pins = ImmutableArray.CreateBuilder<PendingPin>();

    /// <summary>The explicit stack of <see cref="VisitPlain"/>, shared: each nested walk works above its caller's entries.</summary>
    private readonly List<IOperation> _plainWalk = new();

    /// <summary>How many operations with a transfer function the current visit is nested in.</summary>
    private int _contractDepth;

    public OperationTransfer(ContractCache contracts, IMethodSymbol? function, HashSet<ISymbol> captured, FlowEventSink sink, Liveness liveness)
    {
        _contracts = contracts;
        _function = function;
        _captured = captured;
        _sink = sink;
        _liveness = liveness;
    }

    /// <summary>Set for the last pass, once states are at their fixpoint: only then are events recorded.</summary>
    public bool Recording { get; set; }

    /// <summary>The state at entry: parameters get the facts their own contracts promise this body.</summary>
    public FlowState EntryState()
    {
        var state = new FlowState();
        if (_function is null)
        {
            return state;
        }

        foreach (var parameter in _function.Parameters)
        {
            if (parameter.RefKind == RefKind.Out || !IsTrackable(parameter))
            {
                continue;
            }

            var contract = _contracts.Of(parameter);
            var facts = contract.Has(Contract.TakesPinOwnership) ? ValueFacts.Owned
                : contract.Has(Contract.RequiresPin | Contract.Pinned | Contract.ReleasesPin) ? ValueFacts.Held
                : contract.Has(Contract.Borrowed | Contract.MayBeNonRefcounted) ? ValueFacts.NotPinned
                : ValueFacts.None;
            if (contract.Has(Contract.Borrowed))
            {
                facts |= ValueFacts.Borrowed;
            }

            if (contract.Has(Contract.MayBeNonRefcounted) && !facts.Has(ValueFacts.Owned | ValueFacts.Held))
            {
                facts |= ValueFacts.MayBeNonRefcounted;
            }

            if (facts != ValueFacts.None)
            {
                state.Set(parameter, facts);
            }
        }

        return state;
    }

    /// <summary>A root operation of a block: its value is discarded, so a discarded try-pin result or pinned return is recorded.</summary>
    public void VisitStatement(IOperation operation, FlowState state)
    {
        if (operation is IExpressionStatementOperation statement)
        {
            operation = statement.Operation;
            var value = Visit(operation, state);
            if (operation is IInvocationOperation)
            {
                Discarded(operation, value, state);
            }

            return;
        }

        Visit(operation, state);
    }

    /// <summary>
    /// Method exit: a pin still owned by a local or parameter is leaked, including a try-pin whose result was kept
    /// but never tested (the pin is held on its success path). A parameter the method itself acquires for its
    /// caller (<c>[AcquiresPin]</c>, <c>[TryAcquiresPin]</c>) carries the pin out by contract.
    /// </summary>
    public void EndOfBody(FlowState state)
    {
        if (!Recording)
        {
            return;
        }

        foreach (var pair in state.Values)
        {
            if (pair.Key is IParameterSymbol parameter && _contracts.Of(parameter).Has(Contract.AcquiresPin | Contract.TryAcquiresPin))
            {
                continue;
            }

            ObligationEnds(pair.Key, pair.Value);
        }
    }

    private void ObligationEnds(object key, ValueFacts facts)
    {
        if (facts.Has(ValueFacts.PinPending))
        {
            facts |= ValueFacts.Owned;
        }

        if (facts.Has(ValueFacts.Owned) && key is ILocalSymbol or IParameterSymbol && !((ISymbol)key).Locations.IsEmpty)
        {
            var symbol = (ISymbol)key;
            facts |= _liveness.SettledWhenDropped(key);
            Emit(FlowEventKind.ObligationEnds, facts, symbol.Locations[0], symbol.Name, target: null, Contract.None);
        }
    }

    /// <summary>A <c>return</c>: returning from a <c>[return: Pinned]</c> function hands the pin to the caller.</summary>
    public void Return(IOperation? operation, AbstractValue value, FlowState state)
    {
        if (operation is null || _function is null || !_contracts.Of(_function).Has(Contract.ReturnPinned))
        {
            return;
        }

        Emit(FlowEventKind.ReturnAsPinned, value.Facts, operation, value, _function, Contract.ReturnPinned);
        if (value.Key is not null && value.Facts.Has(ValueFacts.Owned))
        {
            state.Set(value.Key, value.Facts.WithState(ValueFacts.Escaped));
        }
    }

    /// <summary>Applies what taking the edge where the branch value equals <paramref name="edgeValue"/> proves; false when the edge is infeasible.</summary>
    public bool Refine(BranchOutcome? outcome, bool edgeValue, FlowState state)
    {
        switch (outcome?.Kind)
        {
            case BranchOutcomeKind.Constant:
                return outcome.ActiveWhen == edgeValue;
            case BranchOutcomeKind.RetryCheck:
                var retry = outcome.ActiveWhen == edgeValue;
                state.UpdateAll(facts => !facts.Has(ValueFacts.ResolvedHere) ? facts
                    : retry ? (facts & ~ValueFacts.RetryUnchecked) | ValueFacts.RetryRequested
                    : facts & ~(ValueFacts.RetryUnchecked | ValueFacts.RetryRequested));
                return true;
            case BranchOutcomeKind.NullCheck:
                if (outcome.ActiveWhen == edgeValue)
                {
                    state.Forget(outcome.Key!);
                }

                return true;
            case BranchOutcomeKind.Pin:
                // A result already branched on along every path here (a switch's `case true:` then `case false:`)
                // has one feasible edge and nothing more to refine.
                var success = outcome.ActiveWhen ? outcome : outcome.Negated;
                var succeeded = edgeValue == outcome.ActiveWhen;
                if (state.TryGetDecided(success, out var decided))
                {
                    return decided == succeeded;
                }

                foreach (var pin in outcome.Pins)
                {
                    RefinePin(pin, succeeded: pin.PinnedWhen == edgeValue, state);
                }

                state.Decide(success, succeeded);
                return true;
            default:
                return true;
        }
    }

    private static void RefinePin(PendingPin pin, bool succeeded, FlowState state)
    {
        var known = state.TryGet(pin.Key, out var facts);
        if (succeeded)
        {
            // The first test of the result turns the pending pin into an owned one; a later test of the same result
            // (a stored bool) only rules out "never pinned" on this edge.
            if (!known || facts.Has(ValueFacts.PinPending))
            {
                state.Set(pin.Key, (facts & ~ValueFacts.MayBeNonRefcounted).WithState(ValueFacts.Owned));
            }
            else
            {
                var refined = facts & ~(ValueFacts.NotPinned | ValueFacts.MayBeNonRefcounted);
                state.Set(pin.Key, (refined & ValueFacts.PinStates) == 0 ? refined | ValueFacts.Owned : refined);
            }

            return;
        }

        if (!known)
        {
            return;
        }

        // The first test of the result drops the pending mark; a later one rules out the pin on this edge.
        var failed = facts.Has(ValueFacts.PinPending)
            ? facts & ~ValueFacts.PinPending
            : facts & ~(ValueFacts.Owned | ValueFacts.Released | ValueFacts.Escaped);
        state.SetOrForget(pin.Key, (failed & ValueFacts.PinStates) == 0 ? ValueFacts.None : failed);
    }

    /// <summary>
    /// The value of <paramref name="operation"/>, applying the contracts of what it calls, reads and writes.
    /// Operations without a transfer function of their own (arithmetic, string concatenation, literals…) are walked
    /// on an explicit stack, so a <c>u + u + …</c> chain of any length costs no native stack; operations with one
    /// recurse, at most <see cref="MaxContractDepth"/> deep: below that, nested operations are walked as plain
    /// ones (their children are still visited, so reads, writes and calls in them keep their effects, but the
    /// nested operation's own contract is not applied). C# code nests calls, assignments and conversions a few
    /// levels deep; only machine-made code reaches the bound.
    /// </summary>
    public AbstractValue Visit(IOperation? operation, FlowState state)
    {
        if (operation is null)
        {
            return default;
        }

        if (_contractDepth >= MaxContractDepth || !HasTransferFunction(operation))
        {
            return VisitPlain(operation, state);
        }

        _contractDepth++;
        var value = VisitWithTransferFunction(operation, state);
        _contractDepth--;
        return value;
    }

    private AbstractValue VisitPlain(IOperation operation, FlowState state)
    {
        var walk = _plainWalk;
        var bottom = walk.Count;
        PushChildren(operation, walk);
        while (walk.Count > bottom)
        {
            var next = walk[walk.Count - 1];
            walk.RemoveAt(walk.Count - 1);
            if (_contractDepth >= MaxContractDepth || !HasTransferFunction(next))
            {
                PushChildren(next, walk);
            }
            else
            {
                Visit(next, state);
            }
        }

        return operation.ConstantValue is { HasValue: true, Value: bool constant }
            ? new AbstractValue(null, ValueFacts.None, BranchOutcome.Constant(constant))
            : default;
    }

    /// <summary>Pushes the children of <paramref name="operation"/> so that they pop in evaluation order.</summary>
    private static void PushChildren(IOperation operation, List<IOperation> walk)
    {
        foreach (var child in operation.ChildOperations.Reverse())
        {
            walk.Add(child);
        }
    }

    /// <summary>Whether <see cref="VisitWithTransferFunction"/> does more for <paramref name="operation"/> than visit its children.</summary>
    private static bool HasTransferFunction(IOperation operation) =>
        operation switch
        {
            IInvocationOperation or ISimpleAssignmentOperation or ILocalReferenceOperation or IParameterReferenceOperation
                or IFieldReferenceOperation or IPropertyReferenceOperation or IAssignmentOperation or IConversionOperation
                or IDeclarationExpressionOperation or IFlowCaptureOperation or IFlowCaptureReferenceOperation
                or IIsPatternOperation or IIsNullOperation => true,
            IObjectCreationOperation creation => creation.Constructor is not null,
            IUnaryOperation unary => unary.OperatorKind == UnaryOperatorKind.Not,
            IBinaryOperation binary => binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals,
            _ => false,
        };

    private AbstractValue VisitWithTransferFunction(IOperation operation, FlowState state)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return VisitCall(invocation, invocation.TargetMethod, invocation.Instance, invocation.Arguments, ContractOfCall(invocation, state), state);
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                var created = VisitCall(creation, constructor, instance: null, creation.Arguments, _contracts.Of(constructor), state);
                Visit(creation.Initializer, state);
                return created;
            case ISimpleAssignmentOperation assignment:
                return VisitAssignment(assignment, state);
            case ILocalReferenceOperation local:
                return Read(local.Local, state);
            case IParameterReferenceOperation parameter:
                return Read(parameter.Parameter, state);
            case IFieldReferenceOperation field:
                Visit(field.Instance, state);
                return ReadMember(field.Field, field.Instance, state);
            case IPropertyReferenceOperation property:
                return VisitPropertyRead(property, state);
            case IAssignmentOperation otherAssignment:
                VisitUntrackedAssignment(otherAssignment, state);
                return default;
            case IConversionOperation conversion:
                return Visit(conversion.Operand, state);
            case IDeclarationExpressionOperation declaration:
                return Visit(declaration.Expression, state);
            case IFlowCaptureOperation capture:
                state.SetCapture(capture.Id, Visit(capture.Value, state));
                return default;
            case IFlowCaptureReferenceOperation captureReference:
                return ReadCapture(captureReference, state);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return new AbstractValue(null, ValueFacts.None, Visit(not.Operand, state).Outcome?.Negated);
            case IIsPatternOperation isPattern:
                return new AbstractValue(null, ValueFacts.None, PatternOutcome(Visit(isPattern.Value, state).Outcome, isPattern.Pattern));
            case IBinaryOperation binary when binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals:
                return VisitEquality(binary, state);
            case IIsNullOperation isNull:
                var tested = Visit(isNull.Operand, state);
                return tested.Key is null ? default : new AbstractValue(null, ValueFacts.None, Canonical(isNull, () => BranchOutcome.ForNullCheck(tested.Key)));
            default:
                return VisitPlain(operation, state);
        }
    }

    /// <summary>A call (an invocation or a constructor): arguments and receiver get their contracts, the result its return facts.</summary>
    private AbstractValue VisitCall(IOperation call, IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, Contract contract, FlowState state)
    {
        var receiver = Visit(instance, state);
        var values = arguments.IsEmpty ? System.Array.Empty<AbstractValue>() : new AbstractValue[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            values[i] = Visit(arguments[i].Value, state);
        }

        // Arguments are all visited above, so no nested call can clear the shared builder while this one fills it.
        var pins = _pins;
        pins.Clear();
        var isTryPin = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = arguments[i].Parameter;
            if (parameter is null)
            {
                continue;
            }

            var parameterContract = contract.Has(Contract.HasAnnotatedParameter) ? _contracts.Of(parameter) : Contract.None;
            if (parameter.RefKind == RefKind.Out)
            {
                isTryPin |= WriteOut(values[i], parameterContract, state, pins);
            }
            else if (parameterContract != Contract.None)
            {
                Consumed(arguments[i].Value, values[i], Apply(parameterContract, arguments[i].Value, values[i], method, state, pins, ref isTryPin));
            }
            else if (parameter.RefKind == RefKind.Ref && values[i].Key is { } written)
            {
                Forget(written, state);
            }
            else
            {
                Consumed(arguments[i].Value, values[i], values[i].Facts);
            }

            if (parameterContract.Has(Contract.ReturnsOnlyIfTrue | Contract.ReturnsOnlyIfFalse))
            {
                // Assert.True(TryPin(p)) continues only on the success edge.
                Refine(values[i].Outcome, parameterContract.Has(Contract.ReturnsOnlyIfTrue), state);
            }
        }

        if (!method.IsStatic && instance is not null)
        {
            var receiverFacts = (contract & Contract.ReceiverForms) != 0
                ? Apply(contract & Contract.ReceiverForms, instance, receiver, method, state, pins, ref isTryPin)
                : receiver.Facts;
            Consumed(instance, receiver, receiverFacts);
        }

        if (contract.Has(Contract.SnapshotsInvalidationSequence))
        {
            state.MayLackSnapshot = false;
        }

        var outcome = isTryPin ? Canonical(call, () => BranchOutcome.ForPin(pins.ToImmutable()))
            : contract.Has(Contract.ChecksInvalidationRetry) ? Canonical(call, BranchOutcome.ForRetryCheck)
            : null;
        if (isTryPin)
        {
            state.Undecide(outcome!);
        }

        return new AbstractValue(null, ReturnFacts(contract, state), outcome);
    }

    /// <summary>
    /// The contract of the method a call runs; a <c>Dispose</c> through <see cref="System.IDisposable"/> (a lowered
    /// <c>using</c>, or <c>(page as IDisposable)?.Dispose()</c>, whose receiver is a capture of the tracked variable)
    /// uses the implementation's of the resource's own type.
    /// </summary>
    private Contract ContractOfCall(IInvocationOperation invocation, FlowState state)
    {
        var method = invocation.TargetMethod;
        var contract = _contracts.Of(method);
        if (contract != Contract.None || _contracts.Known.IDisposable is not { } disposable
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, disposable)
            || ResourceType(Unwrap(invocation.Instance), state) is not { } resourceType)
        {
            return contract;
        }

        return resourceType.FindImplementationForInterfaceMember(method) is IMethodSymbol implementation
            ? _contracts.Of(implementation)
            : contract;
    }

    private static ITypeSymbol? ResourceType(IOperation? receiver, FlowState state) =>
        receiver is IFlowCaptureReferenceOperation reference && state.TryGetCapture(reference.Id, out var captured)
            ? captured.Key switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field => field.Type,
                _ => reference.Type,
            }
            : receiver?.Type;

    /// <summary>Applies a parameter's or receiver's operation contract to the value passed; returns the value's facts after the call.</summary>
    private ValueFacts Apply(Contract contract, IOperation operation, AbstractValue value, IMethodSymbol method, FlowState state, ImmutableArray<PendingPin>.Builder pins, ref bool isTryPin)
    {
        var facts = value.Key is null ? value.Facts : state.Get(value.Key);
        if (contract.Has(Contract.RequiresPin))
        {
            Emit(FlowEventKind.RequirePin, facts, operation, value, method, contract);
        }

        if (contract.Has(Contract.OutOfBandSink))
        {
            Emit(FlowEventKind.OutOfBandSink, facts, operation, value, method, contract);
        }

        if (contract.Has(Contract.NotifierCoveredSink))
        {
            Emit(FlowEventKind.NotifierCoveredSink, facts, operation, value, method, contract);
        }

        if (contract.Has(Contract.AcquiresPin))
        {
            Emit(FlowEventKind.UnconditionalPin, facts, operation, value, method, contract);
            var again = facts.Has(ValueFacts.Owned) ? ValueFacts.ExtraPin : ValueFacts.None;
            facts = (facts & ~ValueFacts.MayBeNonRefcounted).WithState(ValueFacts.Owned) | again;
        }

        if (contract.Has(Contract.TryAcquiresPin))
        {
            isTryPin = true;
            if (value.Key is not null)
            {
                facts |= ValueFacts.PinPending;
                pins.Add(new PendingPin(value.Key, !contract.Has(Contract.TryAcquiresPinOnFalse)));
            }
        }

        if (contract.Has(Contract.ReleasesPin))
        {
            Emit(FlowEventKind.Release, facts, operation, value, method, contract);
            facts = facts.Has(ValueFacts.ExtraPin) ? facts & ~ValueFacts.ExtraPin : facts.WithState(ValueFacts.Released);
        }

        if (contract.Has(Contract.TakesPinOwnership))
        {
            Emit(FlowEventKind.OwnershipTransfer, facts, operation, value, method, contract);
            facts = facts.WithState(ValueFacts.Escaped);
        }

        if (value.Key is not null && facts != ValueFacts.None)
        {
            state.Set(value.Key, facts);
        }

        return facts;
    }

    /// <summary>
    /// A temporary used up by a call (argument or receiver): a pin it arrived with and still owns afterwards has no
    /// holder left. A pin the call itself takes on a temporary (<c>Pin(first.Add(1))</c>) is not judged: the
    /// expression may be recomputed to release it, and a value without identity is unknown.
    /// </summary>
    private void Consumed(IOperation operation, AbstractValue value, ValueFacts factsAfter)
    {
        if (value.Key is null && value.Facts.Has(ValueFacts.Owned) && factsAfter.Has(ValueFacts.Owned))
        {
            Emit(FlowEventKind.ObligationEnds, factsAfter, operation, value, target: null, Contract.None);
        }
    }

    /// <summary>An <c>out</c> argument: the variable receives what the parameter's contract promises; returns whether it is a try-pin.</summary>
    private bool WriteOut(AbstractValue value, Contract contract, FlowState state, ImmutableArray<PendingPin>.Builder pins)
    {
        if (value.Key is not { } key)
        {
            return contract.Has(Contract.TryAcquiresPin);
        }

        Overwrite(key, state);
        if (contract.Has(Contract.Pinned))
        {
            state.Set(key, ValueFacts.Owned);
            return false;
        }

        if (contract.Has(Contract.TryAcquiresPin))
        {
            state.Set(key, ValueFacts.NotPinned | ValueFacts.PinPending);
            pins.Add(new PendingPin(key, !contract.Has(Contract.TryAcquiresPinOnFalse)));
            return true;
        }

        state.SetOrForget(key, SourceFacts(contract.Has(Contract.Borrowed), contract.Has(Contract.MayBeNonRefcounted), state));

        return false;
    }

    private AbstractValue VisitAssignment(ISimpleAssignmentOperation assignment, FlowState state)
    {
        var target = assignment.Target;
        switch (target)
        {
            case IFieldReferenceOperation field:
                Visit(field.Instance, state);
                break;
            case IPropertyReferenceOperation property:
                Visit(property.Instance, state);
                foreach (var argument in property.Arguments)
                {
                    Visit(argument, state);
                }

                break;
        }

        var value = Visit(assignment.Value, state);
        switch (target)
        {
            case ILocalReferenceOperation local when IsTrackable(local.Local):
                AssignVariable(local.Local, value, state);
                break;
            case IParameterReferenceOperation parameter when IsTrackable(parameter.Parameter):
                AssignParameter(parameter.Parameter, value, state);
                break;
            case IFieldReferenceOperation field:
                Store(field.Field, field.Instance, assignment.Value, value, state);
                break;
            case IPropertyReferenceOperation property:
                Store(property.Property, property.Instance, assignment.Value, value, state);
                break;
            case IDiscardOperation:
                Discarded(assignment.Value, value, state);
                break;
        }

        return value;
    }

    /// <summary>
    /// A deconstruction or compound assignment: the variables it writes get values the core does not follow, so they
    /// become unknown (after losing any pin they still owned).
    /// </summary>
    private void VisitUntrackedAssignment(IAssignmentOperation assignment, FlowState state)
    {
        Visit(assignment.Value, state);
        foreach (var node in assignment.Target.DescendantsAndSelf())
        {
            var variable = node switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (variable is not null && IsTrackable(variable))
            {
                Overwrite(variable, state);
                state.Forget(variable);
            }
        }
    }

    private void AssignParameter(IParameterSymbol parameter, AbstractValue value, FlowState state)
    {
        if (parameter.RefKind != RefKind.None && _contracts.Of(parameter).Has(Contract.Pinned))
        {
            // Writing a [Pinned] out/ref parameter hands the pin to the caller.
            if (value.Key is not null && value.Facts.Has(ValueFacts.Owned))
            {
                state.Set(value.Key, value.Facts.WithState(ValueFacts.Escaped));
            }

            return;
        }

        AssignVariable(parameter, value, state);
    }

    /// <summary>
    /// Assigns to a local or parameter. Copying another local moves its tracking (the copy takes over the state and
    /// the obligation, the source becomes unknown), so one pin is never counted twice.
    /// </summary>
    private void AssignVariable(ISymbol variable, AbstractValue value, FlowState state)
    {
        if (value.Key is not null && StateKeyComparer.Instance.Equals(value.Key, variable))
        {
            return;
        }

        Overwrite(variable, state);
        var facts = value.Key is null ? value.Facts : state.Get(value.Key);
        if (value.Key is ILocalSymbol { IsUsing: false } or IParameterSymbol)
        {
            Forget(value.Key, state);
        }
        else if (value.Key is IFieldSymbol or ILocalSymbol { IsUsing: true } && facts.Has(ValueFacts.Owned))
        {
            facts = facts.WithState(ValueFacts.Held);
        }

        state.SetOrForget(variable, facts);

        if (variable is ILocalSymbol { Type.SpecialType: SpecialType.System_Boolean } or IParameterSymbol { Type.SpecialType: SpecialType.System_Boolean })
        {
            state.SetOutcome(variable, value.Outcome ?? BranchOutcome.Unknown);
        }
    }

    /// <summary>A store into a field or property: the long-lived-storage question for the rules, and ownership hand-over to a <c>[Pinned]</c> member.</summary>
    private void Store(ISymbol member, IOperation? instance, IOperation valueOperation, AbstractValue value, FlowState state)
    {
        var contract = _contracts.Of(member);
        var facts = value.Key is null ? value.Facts : state.Get(value.Key);
        if (IsLongLived(instance))
        {
            Emit(FlowEventKind.StoreToMember, facts, valueOperation, value, member, contract);
        }

        if (contract.Has(Contract.Pinned) && value.Key is not null && facts.Has(ValueFacts.Owned))
        {
            state.Set(value.Key, facts.WithState(ValueFacts.Escaped));
        }

        if (member is IFieldSymbol field && IsThisOrStatic(instance))
        {
            Overwrite(field, state);
            state.SetOrForget(field, facts.Has(ValueFacts.Owned) ? facts.WithState(ValueFacts.Held) : facts);
        }
    }

    /// <summary>A variable is about to get a new value: an owned pin it still holds is lost.</summary>
    private void Overwrite(object key, FlowState state)
    {
        if (Recording)
        {
            ObligationEnds(key, state.Get(key));
        }

        state.VoidOutcomesMentioning(key);
    }

    private static void Forget(object key, FlowState state)
    {
        state.Forget(key);
        state.VoidOutcomesMentioning(key);
    }

    /// <summary>
    /// A value nobody receives: a try-pin result (the "cannot pin" outcome is lost; its values carry on as on the
    /// refusal path, so a later sink or mark is flagged as using an unpinned page, and no leak is claimed) or a pinned
    /// return (the pin leaks).
    /// </summary>
    private void Discarded(IOperation operation, AbstractValue value, FlowState state)
    {
        var call = Unwrap(operation);
        if (value.Outcome is { Kind: BranchOutcomeKind.Pin } && call is IInvocationOperation invocation)
        {
            foreach (var pin in value.Outcome.Pins)
            {
                RefinePin(pin, succeeded: false, state);
            }

            Emit(FlowEventKind.PinOutcomeDiscarded, value.Facts, invocation, value, invocation.TargetMethod, Contract.TryAcquiresPin);
        }

        if (value.Key is null && value.Facts.Has(ValueFacts.Owned) && call is not null)
        {
            Emit(FlowEventKind.ObligationEnds, value.Facts, call, value, (call as IInvocationOperation)?.TargetMethod, Contract.None);
        }
    }

    private AbstractValue VisitPropertyRead(IPropertyReferenceOperation property, FlowState state)
    {
        var receiver = Visit(property.Instance, state);
        foreach (var argument in property.Arguments)
        {
            Visit(argument, state);
        }

        if (property.Property.GetMethod is { } getter && property.Instance is not null
            && (_contracts.Of(getter) & Contract.RequiresPin) != 0)
        {
            var facts = receiver.Key is null ? receiver.Facts : state.Get(receiver.Key);
            Emit(FlowEventKind.RequirePin, facts, property.Instance, receiver, property.Property, Contract.RequiresPin);
        }

        if (receiver.Key is not null && IsNullableValue(property.Property))
        {
            // `held.Value` of a `Pfn? held` is the page `held` tracks.
            return receiver;
        }

        return ReadMember(property.Property, property.Instance, state);
    }

    private static bool IsNullableValue(IPropertySymbol property) =>
        property.Name == "Value" && property.ContainingType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

    private AbstractValue VisitEquality(IBinaryOperation binary, FlowState state)
    {
        var left = Visit(binary.LeftOperand, state);
        var right = Visit(binary.RightOperand, state);
        var constant = binary.RightOperand.ConstantValue is { HasValue: true, Value: bool r } ? r
            : binary.LeftOperand.ConstantValue is { HasValue: true, Value: bool l } ? l
            : (bool?)null;
        var tested = binary.RightOperand.ConstantValue.HasValue ? left.Outcome : right.Outcome;
        if (constant is null || tested is null)
        {
            return default;
        }

        var equalsTrue = constant.Value == (binary.OperatorKind == BinaryOperatorKind.Equals);
        return new AbstractValue(null, ValueFacts.None, equalsTrue ? tested : tested.Negated);
    }

    private static BranchOutcome? PatternOutcome(BranchOutcome? tested, IPatternOperation pattern)
    {
        // `is not not … true`: a loop, since a pattern may be negated any number of times.
        var negations = 0;
        while (pattern is INegatedPatternOperation negated)
        {
            negations++;
            pattern = negated.Pattern;
        }

        if (tested is null || pattern is not IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: bool constant } })
        {
            return null;
        }

        return constant == (negations % 2 == 0) ? tested : tested.Negated;
    }

    private AbstractValue Read(ISymbol variable, FlowState state) =>
        IsTrackable(variable)
            ? new AbstractValue(variable, state.Get(variable), state.GetOutcome(variable))
            : default;

    private AbstractValue ReadMember(ISymbol member, IOperation? instance, FlowState state)
    {
        object? key = member is IFieldSymbol && IsThisOrStatic(instance) ? member : null;
        if (key is not null && state.TryGet(key, out var tracked))
        {
            return new AbstractValue(key, tracked, null);
        }

        var contract = _contracts.Of(member);
        var facts = contract.Has(Contract.Pinned) ? ValueFacts.Held
            : contract.Has(Contract.MayBeNonRefcounted) && !contract.Has(Contract.NotifierCovered) ? ValueFacts.NotPinned | ValueFacts.MayBeNonRefcounted
            : ValueFacts.None;
        return new AbstractValue(key, facts, null);
    }

    private static AbstractValue ReadCapture(IFlowCaptureReferenceOperation reference, FlowState state)
    {
        if (!state.TryGetCapture(reference.Id, out var captured))
        {
            return default;
        }

        return captured.Key is null ? captured : new AbstractValue(captured.Key, state.Get(captured.Key), captured.Outcome);
    }

    private ValueFacts ReturnFacts(Contract contract, FlowState state) =>
        contract.Has(Contract.ReturnPinned)
            ? ValueFacts.Owned
            : SourceFacts(contract.Has(Contract.ReturnBorrowed), contract.Has(Contract.ReturnMayBeNonRefcounted), state);

    /// <summary>The facts of a freshly resolved unpinned value; a borrowed one starts the sequence discipline.</summary>
    private static ValueFacts SourceFacts(bool borrowed, bool mayBeNonRefcounted, FlowState state)
    {
        var facts = ValueFacts.None;
        if (borrowed)
        {
            facts |= ValueFacts.NotPinned | ValueFacts.Borrowed | ValueFacts.ResolvedHere | ValueFacts.RetryUnchecked;
            if (state.MayLackSnapshot)
            {
                facts |= ValueFacts.ResolvedWithoutSnapshot;
            }
        }

        if (mayBeNonRefcounted)
        {
            facts |= ValueFacts.NotPinned | ValueFacts.MayBeNonRefcounted;
        }

        return facts;
    }

    private BranchOutcome Canonical(IOperation producer, System.Func<BranchOutcome> create)
    {
        if (!_canonicalOutcomes.TryGetValue(producer, out var outcome))
        {
            outcome = create();
            _canonicalOutcomes[producer] = outcome;
        }

        return outcome;
    }

    private bool IsTrackable(ISymbol symbol) =>
        symbol is ILocalSymbol or IParameterSymbol
        && !_captured.Contains(symbol)
        && (_function is null || SymbolEqualityComparer.Default.Equals(symbol.ContainingSymbol, _function));

    /// <summary>
    /// Whether a store through <paramref name="instance"/> outlives the current call: not a struct local, and not an
    /// object being initialised (the graph captures a new object and its initializers store through the capture).
    /// </summary>
    private static bool IsLongLived(IOperation? instance) =>
        Unwrap(instance) switch
        {
            null => true,
            IInstanceReferenceOperation reference => reference.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance,
            IFlowCaptureReferenceOperation => false,
            ILocalReferenceOperation local => local.Local.Type.IsReferenceType,
            IParameterReferenceOperation parameter => parameter.Parameter.Type.IsReferenceType,
            _ => true,
        };

    private static bool IsThisOrStatic(IOperation? instance) =>
        Unwrap(instance) is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static string NameOf(IOperation operation, AbstractValue value) =>
        value.Key is ISymbol symbol ? symbol.Name : Unwrap(operation)?.Syntax.ToString() ?? operation.Syntax.ToString();

    /// <summary>Records an event at <paramref name="operation"/>; its location and name are only built when recording (they allocate).</summary>
    private void Emit(FlowEventKind kind, ValueFacts facts, IOperation operation, AbstractValue value, ISymbol? target, Contract contract)
    {
        if (Recording)
        {
            _sink.Add(new FlowEvent(kind, facts, operation.Syntax.GetLocation(), NameOf(operation, value), target, contract));
        }
    }

    private void Emit(FlowEventKind kind, ValueFacts facts, Location location, string name, ISymbol? target, Contract contract)
    {
        if (Recording)
        {
            _sink.Add(new FlowEvent(kind, facts, location, name, target, contract));
        }
    }
}
