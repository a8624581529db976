using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static MmuGuard.Analyzers.Flow.Conversions;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The ownership transfer functions of one body: how calls, stores and member reads change the abstract state
/// according to the contracts of what they call, read and write (docs/design/flow.md lists them per attribute),
/// and which events they record. The generic value plumbing is <see cref="ValueWalker"/>'s, branch refinement is
/// <see cref="BranchRefinement"/>'s and the recording <see cref="EventRecorder"/>'s.
/// </summary>
internal sealed partial class OwnershipTransfer : ValueWalker
{
    private readonly ContractCache _contracts;
    private readonly EventRecorder _recorder;
    private readonly Liveness _liveness;
    private readonly CoveredMappings _coveredMappings;

    /// <summary>The pins one call may take, reused by every call (most take none, and a builder per call showed in profiles).</summary>
    private readonly ImmutableArray<PendingPin>.Builder _pins = ImmutableArray.CreateBuilder<PendingPin>();

    public OwnershipTransfer(ContractCache contracts, IMethodSymbol? function, HashSet<ISymbol> captured, FlowEventSink sink, Liveness liveness, CoveredMappings coveredMappings)
        : base(function, captured)
    {
        _contracts = contracts;
        _coveredMappings = coveredMappings;
        _recorder = new EventRecorder(sink);
        _liveness = liveness;
    }

    /// <summary>Set for the last pass, once states are at their fixpoint: only then are events recorded.</summary>
    public bool Recording
    {
        get => _recorder.Recording;
        set => _recorder.Recording = value;
    }

    /// <summary>The state at entry: parameters get the facts their own contracts promise this body.</summary>
    public FlowState EntryState()
    {
        var state = new FlowState();
        if (Function is null)
        {
            return state;
        }

        foreach (var parameter in Function.Parameters)
        {
            if (parameter.RefKind == RefKind.Out || !IsTrackable(parameter))
            {
                continue;
            }

            var facts = ContractFacts.AtEntry(_contracts.Of(parameter));
            if (facts != ValueFacts.None)
            {
                state.Set(AccessPath.Of(parameter), facts);
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

    /// <summary>A <c>return</c>: returning from a <c>[return: Pinned]</c> function hands the pin to the caller.</summary>
    public void Return(IOperation? operation, AbstractValue value, FlowState state)
    {
        if (operation is null || Function is null || !_contracts.Of(Function).Has(Contract.ReturnPinned))
        {
            return;
        }

        _recorder.Add(FlowEventKind.ReturnAsPinned, value.Facts, operation, value, Function, Contract.ReturnPinned);
        if (value.Key is { } key && value.Facts.Has(ValueFacts.Owned))
        {
            state.Set(key, value.Facts.WithState(ValueFacts.Escaped));
        }
    }

    /// <summary>Applies what taking the edge where the branch value equals <paramref name="edgeValue"/> proves; false when the edge is infeasible.</summary>
    public bool Refine(BranchOutcome? outcome, bool edgeValue, FlowState state) => BranchRefinement.Refine(outcome, edgeValue, state);

    private protected override AbstractValue VisitInvocation(IInvocationOperation invocation, FlowState state) =>
        VisitCall(invocation, invocation.TargetMethod, invocation.Instance, invocation.Arguments, ContractOfCall(invocation, state), state);

    private protected override AbstractValue VisitCreation(IObjectCreationOperation creation, IMethodSymbol constructor, FlowState state)
    {
        var created = VisitCall(creation, constructor, instance: null, creation.Arguments, _contracts.Of(constructor), state);
        Visit(creation.Initializer, state);
        return created;
    }

    private protected override AbstractValue VisitFieldRead(IFieldReferenceOperation field, FlowState state)
    {
        Visit(field.Instance, state);
        return ReadMember(field.Field, field.Instance, state);
    }

    /// <summary>A value is overwritten by <paramref name="write"/>: a pin it still owns is lost at the write, which names the declaration as related.</summary>
    private void ObligationEnds(AccessPath key, ValueFacts facts, IOperation? write)
    {
        if (facts.Has(ValueFacts.PinPending))
        {
            facts |= ValueFacts.Owned;
        }

        if (facts.Has(ValueFacts.Owned) && key is { IsVariable: true, RootSymbol: { } symbol } && !symbol.Locations.IsEmpty)
        {
            facts |= _liveness.SettledWhenDropped(key);
            var declaration = symbol.Locations[0];
            var at = write is null ? declaration : WriteLocation(write.Syntax);
            _recorder.Add(FlowEventKind.ObligationEnds, facts, at, symbol.Name, target: null, Contract.None, at == declaration ? null : declaration);
            _leakedAtOverwrite.Add(key);
        }
    }

    private protected override AbstractValue VisitPropertyRead(IPropertyReferenceOperation property, FlowState state)
    {
        var receiver = Visit(property.Instance, state);
        foreach (var argument in property.Arguments)
        {
            Visit(argument, state);
        }

        if (property.Property.GetMethod is { } getter && property.Instance is not null
            && (_contracts.Of(getter) & Contract.RequiresPin) != 0)
        {
            var facts = receiver.Key is { } tracked ? state.Get(tracked) : receiver.Facts;
            _recorder.Add(FlowEventKind.RequirePin, facts, property.Instance, receiver, property.Property, Contract.RequiresPin);
        }

        var propertyContract = _contracts.Of(property.Property);
        if (propertyContract.Has(Contract.ErrorCheck) && property.Instance is not null)
        {
            return new AbstractValue(null, ValueFacts.None, ErrorCheckOutcome(property, receiver));
        }

        if (propertyContract.Has(Contract.NotRefcountedCheck) && property.Instance is not null)
        {
            return new AbstractValue(null, ValueFacts.None, NotRefcountedOutcome(property, receiver, propertyContract, state));
        }

        if (receiver.Key is not null && IsNullableMember(property.Property, "HasValue"))
        {
            // `held.HasValue` of a `Pfn? held` is a null test of the page `held` tracks.
            return new AbstractValue(null, ValueFacts.None, NullTest(property, receiver, isNullWhen: false));
        }

        if (receiver.Key is not null && IsNullableMember(property.Property, "Value"))
        {
            // `held.Value` of a `Pfn? held` is the page `held` tracks.
            return receiver;
        }

        return ReadMember(property.Property, property.Instance, state);
    }

    private static bool IsNullableMember(IPropertySymbol property, string name) =>
        property.Name == name && property.ContainingType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

    /// <summary>A field or property read: a tracked location's facts, or what the member's contract promises.</summary>
    private AbstractValue ReadMember(ISymbol member, IOperation? instance, FlowState state)
    {
        var contract = _contracts.Of(member);
        AccessPath? key = member is IFieldSymbol && IsThisOrStatic(instance) ? AccessPath.Of(member) : null;
        var path = key ?? (contract.Has(Contract.Pinned) || IsOperationContext(instance) ? OwningMemberPath(member, instance) : null);
        if (path is { } tracked && state.TryGet(tracked, out var facts))
        {
            // A location this body wrote: a this-field, or an owning member it stored a pin into (`gpc.Pfn`).
            return new AbstractValue(tracked, facts, null);
        }

        return new AbstractValue(key, ContractFacts.OfMember(contract), null);
    }

    private protected override bool IsErrorValue(IOperation operand) => _contracts.ReadsMemberWith(operand, Contract.ErrorValue);

    private static bool IsThisOrStatic(IOperation? instance) =>
        Unwrap(instance) is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    /// <summary>A variable just written a <c>[return: NotZero]</c> call's result (<c>hva = kmap(page)</c>) is non-zero on this path.</summary>
    private void NoteNonZero(ISymbol variable, IOperation written, FlowState state)
    {
        if (Unwrap(written) is IInvocationOperation call && _contracts.Of(call.TargetMethod).Has(Contract.ReturnNotZero))
        {
            state.MarkNonZero(AccessPath.Of(variable));
        }
    }
}
