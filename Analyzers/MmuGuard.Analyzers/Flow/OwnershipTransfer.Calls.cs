using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static MmuGuard.Analyzers.Flow.Conversions;

namespace MmuGuard.Analyzers.Flow;

/// <summary>The ownership transfer of calls: what a call's parameter, receiver and return contracts do to the values involved.</summary>
internal sealed partial class OwnershipTransfer
{
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
        _movedToResult = ValueFacts.None;
        _movedFrom = null;
        var isTryPin = false;
        AbstractValue? errorTested = null;
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = arguments[i].Parameter;
            if (parameter is null)
            {
                continue;
            }

            var parameterContract = contract.Has(Contract.HasAnnotatedParameter) ? _contracts.Of(parameter) : Contract.None;
            if (parameterContract.Has(Contract.ErrorCheck))
            {
                // handle_abnormal_pfn(vcpu, fault, pfn): the result tests this argument, not the first one.
                errorTested = values[i];
            }

            if (parameter.RefKind == RefKind.Out)
            {
                isTryPin |= WriteOut(arguments[i].Value, values[i], parameterContract, state, pins);
            }
            else if (parameterContract != Contract.None)
            {
                Consumed(arguments[i].Value, values[i], Apply(parameterContract, arguments[i].Value, values[i], method, state, pins, ref isTryPin));
            }
            else if (parameter.RefKind == RefKind.Ref && values[i].Key is { } written)
            {
                Unbind(written, state);
            }
            else
            {
                Consumed(arguments[i].Value, values[i], values[i].Facts);
            }

            if (parameterContract.Has(Contract.ReturnsOnlyIfTrue | Contract.ReturnsOnlyIfFalse))
            {
                // Assert.True(TryPin(p)) continues only on the success edge.
                BranchRefinement.Refine(values[i].Outcome, parameterContract.Has(Contract.ReturnsOnlyIfTrue), state);
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

        if (contract.Has(Contract.HasContextArgument))
        {
            ContextArguments(method, arguments, values, contract, state);
        }

        var tested = method.IsStatic ? (values.Length > 0 ? values[0] : default) : receiver;
        LockOperations(method, instance, arguments, contract, state);
        if (contract.Has(Contract.ChecksInvalidationRetry))
        {
            RetryChecked(state);
        }

        if (!method.IsStatic && instance is not null && arguments.Length == 1 && IsCollectionAdd(method))
        {
            StoreToCollection(instance, arguments[0].Value, values[0], state);
        }

        var outcome = isTryPin ? TryPinOutcome(call, method, pins, state)
            : contract.Has(Contract.ChecksInvalidationRetry) ? Canonical(call, BranchOutcome.ForRetryCheck)
            : contract.Has(Contract.ErrorCheck) ? ErrorCheckOutcome(call, tested)
            : errorTested is { } argument ? ErrorCheckOutcome(call, argument)
            : contract.Has(Contract.NotRefcountedCheck) ? NotRefcountedOutcome(call, tested, contract, state)
            : contract.Has(Contract.ReturnsMapOutcome) ? Canonical(call, () => BranchOutcome.ForPin(ImmutableArray<PendingPin>.Empty))
            : null;
        if (_movedFrom is { } alias)
        {
            // The result is the argument's reference under another name (a pfn and its page): it reads as that variable.
            return new AbstractValue(alias, state.Get(alias), outcome);
        }

        return new AbstractValue(null, ContractFacts.OfResult(contract, state) | _movedToResult, outcome);
    }

    /// <summary>
    /// A call handed a per-operation context (x86's <c>kvm_page_fault</c>), for each of the context's
    /// <c>[Borrowed]</c> members (<c>fault->pfn</c>): a <c>[NotifierCoveredSink]</c> context parameter installs the
    /// member's value (<c>kvm_tdp_mmu_map(vcpu, fault)</c>), judged by MMU0004 at the argument; a retry check reads
    /// it; any other call, unless the parameter is <c>in</c>, may resolve it again (<c>kvm_mmu_faultin_pfn(vcpu,
    /// fault)</c>), so the member holds a fresh borrowed value from then on, after the call's own snapshot if it is
    /// <c>[SnapshotsInvalidationSequence]</c>. This is how the fault chain is checked across the three functions
    /// the kernel splits it into, each still judged alone.
    /// </summary>
    private void ContextArguments(IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, AbstractValue[] values, Contract contract, FlowState state)
    {
        for (var i = 0; i < arguments.Length; i++)
        {
            if (values[i].Key is not { } context || arguments[i].Parameter is not { } parameter
                || parameter.Type is not INamedTypeSymbol type || !_contracts.Of(type).Has(Contract.OperationContext))
            {
                continue;
            }

            var installs = _contracts.Of(parameter).Has(Contract.NotifierCoveredSink);
            if (!installs && (contract.Has(Contract.ChecksInvalidationRetry) || parameter.RefKind == RefKind.In))
            {
                continue;
            }

            foreach (var member in type.GetMembers())
            {
                var memberContract = member is IFieldSymbol or IPropertySymbol ? _contracts.Of(member) : Contract.None;
                if (!memberContract.Has(Contract.Borrowed) || context.Member(member) is not { } path)
                {
                    continue;
                }

                if (installs)
                {
                    if (state.TryGet(path, out var facts))
                    {
                        _recorder.Add(FlowEventKind.NotifierCoveredSink, facts, arguments[i].Value.Syntax.GetLocation(), path.ToString(), method, contract);
                    }
                }
                else
                {
                    state.Set(path, ContractFacts.OfSource(borrowed: true, memberContract.Has(Contract.MayBeNonRefcounted), state));
                }
            }
        }
    }

    /// <summary>Whether <paramref name="method"/> is, or implements, <c>ICollection&lt;T&gt;.Add</c>.</summary>
    private bool IsCollectionAdd(IMethodSymbol method)
    {
        if (_contracts.Known.GenericCollection is not { } collection || method.Name != "Add")
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(method.ContainingType.OriginalDefinition, collection))
        {
            return true;
        }

        foreach (var implemented in method.ContainingType.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, collection)
                && implemented.GetMembers("Add") is { Length: 1 } adds
                && SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(adds[0]), method))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The outcome of a try-pin call, by what its result is: a bool (pinned when it equals the success value), an
    /// <c>int</c> or enum with a <c>SuccessResult</c>, or any other value (pinned unless it is an error value).
    /// </summary>
    private BranchOutcome TryPinOutcome(IOperation call, IMethodSymbol method, ImmutableArray<PendingPin>.Builder pins, FlowState state)
    {
        BranchOutcome outcome;
        if (method.ReturnType.SpecialType == SpecialType.System_Boolean)
        {
            outcome = Canonical(call, () => BranchOutcome.ForPin(pins.ToImmutable()));
            state.Undecide(outcome);
            return outcome;
        }

        var success = SuccessResult(method, out var successIsHighest);
        outcome = Canonical(call, () => BranchOutcome.ForPinResult(pins.ToImmutable(), success, successIsHighest));
        state.Undecide(outcome.Success);
        return outcome;
    }

    /// <summary>The <c>SuccessResult</c> of the try-pin contract <paramref name="method"/> or one of its parameters carries, if any.</summary>
    private int? SuccessResult(IMethodSymbol method, out bool successIsHighest)
    {
        var contract = _contracts.Of(method);
        successIsHighest = contract.Has(Contract.TryAcquiresPinSuccessIsHighest);
        if (contract.Has(Contract.TryAcquiresPinOnResult))
        {
            return _contracts.SuccessResultOf(method);
        }

        foreach (var parameter in method.Parameters)
        {
            var parameterContract = _contracts.Of(parameter);
            if (parameterContract.Has(Contract.TryAcquiresPinOnResult))
            {
                successIsHighest = parameterContract.Has(Contract.TryAcquiresPinSuccessIsHighest);
                return _contracts.SuccessResultOf(parameter);
            }
        }

        return null;
    }

    /// <summary>
    /// An <c>[ErrorCheck]</c> of <paramref name="tested"/>: true exactly for error values, so the true edge holds no
    /// pin, and a try-pin whose result is tested pinned exactly on the false edge.
    /// </summary>
    private BranchOutcome? ErrorCheckOutcome(IOperation call, AbstractValue tested) =>
        tested.Outcome is { Kind: BranchOutcomeKind.PinResult, SuccessResult: null } result
            ? result.Success.Negated
            : NullTest(call, tested, isNullWhen: true);

    /// <summary>
    /// A <c>[NotRefcountedCheck]</c> of <paramref name="tested"/> (<c>kvm_is_reserved_pfn()</c>, <c>pfn_valid()</c>):
    /// on its proving edge the value has no refcounted page, and a try-pin whose pfn result it is did not pin. An
    /// untracked value stays unknown.
    /// </summary>
    private BranchOutcome? NotRefcountedOutcome(IOperation call, AbstractValue tested, Contract contract, FlowState state)
    {
        if (tested.Key is not { } key)
        {
            return null;
        }

        var pins = tested.Outcome is { Kind: BranchOutcomeKind.PinResult, SuccessResult: null } result ? result.Pins : ImmutableArray<PendingPin>.Empty;
        var outcome = Canonical(call, () => BranchOutcome.ForNotRefcounted(key, pins));
        state.Undecide(outcome);
        return contract.Has(Contract.NotRefcountedCheckOnFalse) ? outcome.Negated : outcome;
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
            ? captured.Key?.LastSymbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => reference.Type,
            }
            : receiver?.Type;

    /// <summary>Applies a parameter's or receiver's operation contract to the value passed; returns the value's facts after the call.</summary>
    private ValueFacts Apply(Contract contract, IOperation operation, AbstractValue value, IMethodSymbol method, FlowState state, ImmutableArray<PendingPin>.Builder pins, ref bool isTryPin)
    {
        var facts = value.Key is { } tracked ? state.Get(tracked) : value.Facts;
        if (contract.Has(Contract.RequiresPin))
        {
            _recorder.Add(FlowEventKind.RequirePin, facts, operation, value, method, contract);
        }

        if (contract.Has(Contract.OutOfBandSink))
        {
            var kind = facts.Has(ValueFacts.NotPinned | ValueFacts.NotRefcounted) && _coveredMappings.KeptByCoveredMember(operation)
                ? FlowEventKind.CoveredMapping
                : FlowEventKind.OutOfBandSink;
            _recorder.Add(kind, facts, operation, value, method, contract);
        }

        if (contract.Has(Contract.NotifierCoveredSink))
        {
            _recorder.Add(FlowEventKind.NotifierCoveredSink, facts, operation, value, method, contract);
        }

        if (contract.Has(Contract.AcquiresPin))
        {
            _recorder.Add(FlowEventKind.UnconditionalPin, facts, operation, value, method, contract);
            var again = facts.Has(ValueFacts.Owned) ? ValueFacts.ExtraPin : ValueFacts.None;
            facts = (facts & ~ValueFacts.MayBeNonRefcounted).WithState(ValueFacts.Owned) | again;
        }

        if (contract.Has(Contract.TryAcquiresPin))
        {
            isTryPin = true;
            if (value.Key is { } pinned)
            {
                facts |= ValueFacts.PinPending;
                pins.Add(new PendingPin(pinned, !contract.Has(Contract.TryAcquiresPinOnFalse)));
            }
        }

        if (contract.Has(Contract.ReleasesPin))
        {
            // A try-pin's out value whose result is still undecided here is pinned on the success path, where the
            // release is right; on the failure path it holds the empty value (NULL, an unmapped map) that KVM's
            // releases accept. The incomplete test is reported where the value is used, not again at the release.
            var released = facts.Has(ValueFacts.PinPending) && facts.Has(ValueFacts.EmptyWhenRefused) ? facts & ~ValueFacts.NotPinned : facts;
            _recorder.Add(FlowEventKind.Release, released, operation, value, method, contract);
            facts = facts.Has(ValueFacts.ExtraPin) ? facts & ~ValueFacts.ExtraPin : facts.WithState(ValueFacts.Released);
        }

        if (contract.Has(Contract.MovesReferenceToResult))
        {
            facts = MoveToResult(value, facts);
        }

        if (contract.Has(Contract.TakesPinOwnership))
        {
            _recorder.Add(FlowEventKind.OwnershipTransfer, facts, operation, value, method, contract);
            facts = facts.WithState(ValueFacts.Escaped);
        }

        if (value.Key is { } key && facts != ValueFacts.None)
        {
            state.Set(key, facts);
        }

        return facts;
    }

    /// <summary>
    /// A temporary used up by a call (argument or receiver): a pin it arrived with and still owns afterwards has no
    /// holder left, and neither has a pin the call takes on a value constructed right there (<c>Pin(new Pfn(4))</c>).
    /// A pin the call takes on any other temporary (<c>Pin(first.Add(1))</c>) is not judged: the expression may be
    /// recomputed to release it, and a value without identity is unknown.
    /// </summary>
    private void Consumed(IOperation operation, AbstractValue value, ValueFacts factsAfter)
    {
        if (value.Key is null && factsAfter.Has(ValueFacts.Owned)
            && (value.Facts.Has(ValueFacts.Owned) || Unwrap(operation) is IObjectCreationOperation))
        {
            _recorder.Add(FlowEventKind.ObligationEnds, factsAfter, operation, value, target: null, Contract.None);
        }
    }

    private bool IsOwnPinnedOut(AccessPath key) =>
        key is { IsVariable: true, RootSymbol: IParameterSymbol { RefKind: not RefKind.None } parameter }
        && _contracts.Of(parameter).Has(Contract.Pinned);

    /// <summary>An <c>out</c> argument: the variable receives what the parameter's contract promises; returns whether it is a try-pin.</summary>
    private bool WriteOut(IOperation argument, AbstractValue value, Contract contract, FlowState state, ImmutableArray<PendingPin>.Builder pins)
    {
        if (value.Key is not { } key)
        {
            return contract.Has(Contract.TryAcquiresPin);
        }

        Overwrite(key, state, argument);
        if (contract.Has(Contract.Pinned))
        {
            // The function's own [Pinned] out/ref parameter passed on (`kvm_resolve_pfn(…, kfp->refcounted_page)`)
            // hands the pin straight to this function's caller.
            state.Set(key, (IsOwnPinnedOut(key) ? ValueFacts.Escaped : ValueFacts.Owned) | ContractFacts.Resolved(state));
            return false;
        }

        if (contract.Has(Contract.TryAcquiresPin))
        {
            state.Set(key, ValueFacts.NotPinned | ValueFacts.PinPending | ValueFacts.EmptyWhenRefused | ContractFacts.Resolved(state));
            pins.Add(new PendingPin(key, !contract.Has(Contract.TryAcquiresPinOnFalse)));
            return true;
        }

        state.SetOrForget(key, ContractFacts.OfSource(contract.Has(Contract.Borrowed), contract.Has(Contract.MayBeNonRefcounted), state));

        return false;
    }
}
