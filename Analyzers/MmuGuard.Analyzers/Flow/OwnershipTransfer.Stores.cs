using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MmuGuard.Analyzers.Flow;

/// <summary>The ownership transfer of writes: assignments to variables and members, overwrites and discarded values.</summary>
internal sealed partial class OwnershipTransfer
{
    private protected override AbstractValue VisitAssignment(ISimpleAssignmentOperation assignment, FlowState state)
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
            case IArrayElementReferenceOperation element:
                Visit(element.ArrayReference, state);
                foreach (var index in element.Indices)
                {
                    Visit(index, state);
                }

                break;
        }

        var value = Visit(assignment.Value, state);
        switch (target)
        {
            case ILocalReferenceOperation local when IsTrackable(local.Local):
                AssignVariable(local.Local, value, state, target);
                NoteMemberCopy(AccessPath.Of(local.Local), assignment.Value, state);
                break;
            case IParameterReferenceOperation parameter when IsTrackable(parameter.Parameter):
                AssignParameter(parameter.Parameter, value, state, target);
                break;
            case IFieldReferenceOperation field:
                Store(field.Field, field.Instance, assignment.Value, value, state);
                break;
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when _contracts.Of(indexer.Property) == Contract.None:
                StoreToCollection(indexer.Instance, assignment.Value, value, state);
                break;
            case IPropertyReferenceOperation property:
                Store(property.Property, property.Instance, assignment.Value, value, state);
                break;
            case IArrayElementReferenceOperation element:
                StoreToCollection(element.ArrayReference, assignment.Value, value, state);
                break;
            case IDiscardOperation:
                Discarded(assignment.Value, value, state);
                break;
            case IFlowCaptureReferenceOperation spilled when state.TryGetCapture(spilled.Id, out var captured)
                && captured.Key is { IsVariable: true, RootSymbol: { } variable }:
                // A target the graph evaluated before a branching value (`pfn = Follow(write ? a : b, out page)`).
                if (variable is IParameterSymbol spilledParameter)
                {
                    AssignParameter(spilledParameter, value, state, target);
                }
                else
                {
                    AssignVariable(variable, value, state, target);
                }

                break;
        }

        return value;
    }

    /// <summary>
    /// A deconstruction or compound assignment: the variables it writes get values the core does not follow, so they
    /// become unknown (after losing any pin they still owned).
    /// </summary>
    private protected override void VisitOtherAssignment(IAssignmentOperation assignment, FlowState state)
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
                var key = AccessPath.Of(variable);
                Overwrite(key, state, node);
                state.Forget(key);
            }
        }
    }

    private void AssignParameter(IParameterSymbol parameter, AbstractValue value, FlowState state, IOperation written)
    {
        if (parameter.RefKind != RefKind.None && _contracts.Of(parameter).Has(Contract.Pinned))
        {
            // Writing a [Pinned] out/ref parameter hands the pin to the caller.
            if (value.Key is { } source && value.Facts.Has(ValueFacts.Owned | ValueFacts.PinPending))
            {
                state.Set(source, value.Facts.WithState(ValueFacts.Escaped));
            }

            return;
        }

        AssignVariable(parameter, value, state, written);
    }

    /// <summary>
    /// Assigns to a local or parameter. Copying another local moves its tracking (the copy takes over the state and
    /// the obligation, the source becomes unknown), so one pin is never counted twice.
    /// </summary>
    private void AssignVariable(ISymbol variable, AbstractValue value, FlowState state, IOperation written)
    {
        var key = AccessPath.Of(variable);
        if (value.Key is { } source && source.Equals(key))
        {
            return;
        }

        Overwrite(key, state, written);
        state.ForgetMemberCopy(key);
        var facts = (value.Key is { } read ? state.Get(read) : value.Facts) & ~ValueFacts.StoredPin;
        if (value.Key is { IsVariable: true, RootSymbol: not ILocalSymbol { IsUsing: true } } moved)
        {
            Forget(moved, state);
        }
        else if (value.Key is { MemberCount: 0, RootSymbol: IFieldSymbol or ILocalSymbol { IsUsing: true } } && facts.Has(ValueFacts.Owned))
        {
            facts = facts.WithState(ValueFacts.Held);
        }

        state.SetOrForget(key, facts);

        if (variable is ILocalSymbol { Type.SpecialType: SpecialType.System_Boolean } or IParameterSymbol { Type.SpecialType: SpecialType.System_Boolean })
        {
            state.SetOutcome(key, value.Outcome ?? BranchOutcome.Unknown);
        }
        else if (value.Outcome is { Kind: BranchOutcomeKind.PinResult } || state.GetOutcome(key) is not null)
        {
            // A try-pin's int or pfn result kept for later tests (`rc = kvm_vcpu_map(…); if (rc) …`).
            state.SetOutcome(key, value.Outcome is { Kind: BranchOutcomeKind.PinResult } ? value.Outcome : BranchOutcome.Unknown);
        }
    }

    /// <summary>A store into a field or property: the long-lived-storage question for the rules, and ownership hand-over to a <c>[Pinned]</c> member.</summary>
    private void Store(ISymbol member, IOperation? instance, IOperation valueOperation, AbstractValue value, FlowState state)
    {
        var contract = _contracts.Of(member);
        var facts = (value.Key is { } read ? state.Get(read) : value.Facts) & ~ValueFacts.StoredPin;
        var context = IsOperationContext(instance) ? OwningMemberPath(member, instance) : null;
        if (context is null && IsLongLived(instance))
        {
            _recorder.Add(FlowEventKind.StoreToMember, facts, valueOperation, value, member, contract);
        }

        if (contract.Has(Contract.NotifierCovered))
        {
            // Notifier-covered storage is an install (KVM's gpc->pfn = new_pfn): the same sequence discipline as a sink.
            _recorder.Add(FlowEventKind.NotifierCoveredSink, facts, valueOperation, value, member, contract);
        }

        if (contract.Has(Contract.Pinned) && OwningMemberPath(member, instance) is { } owner)
        {
            OverwriteOwningMember(owner, valueOperation, state);
            var holds = facts.Has(ValueFacts.Owned | ValueFacts.PinPending);
            state.SetOrForget(owner, holds ? facts.WithState(ValueFacts.Held) | ValueFacts.StoredPin : facts);
        }

        if (contract.Has(Contract.Pinned) && value.Key is { } source && facts.Has(ValueFacts.Owned | ValueFacts.PinPending))
        {
            // The owning member takes whatever the value holds, including a try-pin's pin not yet decided here.
            state.Set(source, facts.WithState(ValueFacts.Escaped));
        }
        else if (context is { } path && !contract.Has(Contract.Pinned))
        {
            // A per-operation context's member holds what was stored for the rest of the body (`fault.Pfn`): its
            // sequence facts travel with it; a pin a variable still owns stays that variable's to release.
            state.VoidOutcomesMentioning(path);
            state.SetOrForget(path, value.Key is { IsVariable: true } && facts.Has(ValueFacts.Owned) ? facts.WithState(ValueFacts.Held) : facts);
        }
        else if (member is IFieldSymbol field && IsThisOrStatic(instance) && !contract.Has(Contract.Pinned))
        {
            var key = AccessPath.Of(field);
            Overwrite(key, state);
            state.SetOrForget(key, facts.Has(ValueFacts.Owned) ? facts.WithState(ValueFacts.Held) : facts);
        }
    }

    /// <summary>
    /// An owning member is about to get a new value. A variable holding a copy of its old value takes over the old
    /// pin (<c>old_pfn = gpc->pfn; gpc->pfn = KVM_PFN_ERR_FAULT;</c>: old_pfn must now be released). Without such a
    /// copy, a pin this body stored there and did not release is lost at this store (the 3dddf65b4f4c shape).
    /// </summary>
    private void OverwriteOwningMember(AccessPath owner, IOperation store, FlowState state)
    {
        var old = state.Get(owner);
        if (state.TakeMemberCopies(owner) is { } copies)
        {
            foreach (var copy in copies)
            {
                var facts = state.Get(copy);
                if (facts.Has(ValueFacts.Held))
                {
                    state.Set(copy, (facts & ~ValueFacts.Held) | ValueFacts.Owned);
                    return;
                }
            }
        }

        if (Recording && old.Has(ValueFacts.Held) && old.Has(ValueFacts.StoredPin))
        {
            var at = store.Parent is ISimpleAssignmentOperation assignment ? assignment.Target.Syntax.GetLocation() : store.Syntax.GetLocation();
            _recorder.Add(FlowEventKind.ObligationEnds, (old & ~(ValueFacts.Held | ValueFacts.StoredPin)) | ValueFacts.Owned | ValueFacts.Escaped, at, owner.ToString(), target: null, Contract.None, related: null);
        }
    }

    /// <summary>Whether <paramref name="instance"/> is an object of a type marked <c>[OperationContext]</c>.</summary>
    private bool IsOperationContext(IOperation? instance) =>
        Unwrap(instance)?.Type is { } type && _contracts.Of(type).Has(Contract.OperationContext);

    /// <summary>After <c>copy = member</c>: if the member owns a pin, <paramref name="copy"/> is the name that takes it over when the member is overwritten.</summary>
    private void NoteMemberCopy(AccessPath copy, IOperation value, FlowState state)
    {
        var read = Unwrap(value);
        var owner = read switch
        {
            IFieldReferenceOperation field when _contracts.Of(field.Field).Has(Contract.Pinned) => OwningMemberPath(field.Field, field.Instance),
            IPropertyReferenceOperation { Arguments.IsEmpty: true } property when _contracts.Of(property.Property).Has(Contract.Pinned) => OwningMemberPath(property.Property, property.Instance),
            _ => null,
        };
        if (owner is { } member && state.Get(copy).Has(ValueFacts.Held))
        {
            state.SetMemberCopy(copy, member);
        }
    }

    /// <summary>The tracked location of member <paramref name="member"/> of <paramref name="instance"/>: of <c>this</c> or static, or of a local or parameter (one or two levels).</summary>
    private AccessPath? OwningMemberPath(ISymbol member, IOperation? instance)
    {
        var receiver = Unwrap(instance);
        if (receiver is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
        {
            return AccessPath.Of(member);
        }

        return PathOf(receiver)?.Member(member);
    }

    private AccessPath? PathOf(IOperation? operation) =>
        Unwrap(operation) switch
        {
            ILocalReferenceOperation local when IsTrackable(local.Local) => AccessPath.Of(local.Local),
            IParameterReferenceOperation parameter when IsTrackable(parameter.Parameter) => AccessPath.Of(parameter.Parameter),
            IFieldReferenceOperation field => OwningMemberPath(field.Field, field.Instance),
            IPropertyReferenceOperation { Arguments.IsEmpty: true } property => OwningMemberPath(property.Property, property.Instance),
            _ => null,
        };

    /// <summary>
    /// A value stored as an element of an array or collection (<c>pages[i] = page</c>, <c>list.Add(pfn)</c>): a pin is
    /// handed to the collection's owner; a borrowed PFN put into a collection that is long-lived storage (reached
    /// through a field or property) is asked about like a store into a member (MMU0009).
    /// </summary>
    private void StoreToCollection(IOperation? collection, IOperation valueOperation, AbstractValue value, FlowState state)
    {
        var facts = value.Key is { } read ? state.Get(read) : value.Facts;
        var holder = Unwrap(collection) switch
        {
            IFieldReferenceOperation field => (ISymbol)field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
        if (holder is not null)
        {
            _recorder.Add(FlowEventKind.StoreToMember, facts, valueOperation, value, holder, Contract.None);
        }

        if (value.Key is { } source && facts.Has(ValueFacts.Owned | ValueFacts.PinPending))
        {
            state.Set(source, facts.WithState(ValueFacts.Escaped));
        }
    }

    /// <summary>A location is about to get a new value (written by <paramref name="write"/>): an owned pin it still holds is lost there.</summary>
    private void Overwrite(AccessPath key, FlowState state, IOperation? write = null)
    {
        if (Recording)
        {
            ObligationEnds(key, state.Get(key), write);
        }

        state.VoidOutcomesMentioning(key);
    }

    private static void Forget(AccessPath key, FlowState state)
    {
        state.Forget(key);
        state.VoidOutcomesMentioning(key);
    }

    /// <summary>
    /// A value nobody receives: a try-pin result (the "cannot pin" outcome is lost, which MMU0003 reports; whether its
    /// values are pinned is unknown from then on, so what the code does with them next is the same mistake and is not
    /// reported again, and no leak is claimed for a pin the code never knew it had) or a pinned return (the pin leaks).
    /// </summary>
    private void Discarded(IOperation operation, AbstractValue value, FlowState state)
    {
        var call = Unwrap(operation);
        if (value.Outcome is { Kind: BranchOutcomeKind.Pin or BranchOutcomeKind.PinResult } && call is IInvocationOperation invocation)
        {
            foreach (var pin in value.Outcome.Pins)
            {
                if (state.Get(pin.Key).Has(ValueFacts.Owned))
                {
                    // A pin the value already owned before the ignored try-pin is still owed.
                    BranchRefinement.RefinePin(pin, succeeded: false, state);
                }
                else
                {
                    Forget(pin.Key, state);
                }
            }

            _recorder.Add(FlowEventKind.PinOutcomeDiscarded, value.Facts, invocation, value, invocation.TargetMethod, Contract.TryAcquiresPin);
        }

        if (value.Key is null && value.Facts.Has(ValueFacts.Owned) && call is not null)
        {
            _recorder.Add(FlowEventKind.ObligationEnds, value.Facts, call, value, (call as IInvocationOperation)?.TargetMethod, Contract.None);
        }
    }

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
}
