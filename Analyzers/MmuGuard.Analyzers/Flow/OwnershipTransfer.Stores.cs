using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static MmuGuard.Analyzers.Flow.Conversions;

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
                NoteNonZero(local.Local, assignment.Value, state);
                break;
            case IParameterReferenceOperation parameter when IsTrackable(parameter.Parameter):
                AssignParameter(parameter.Parameter, value, state, target);
                NoteNonZero(parameter.Parameter, assignment.Value, state);
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

                NoteNonZero(variable, assignment.Value, state);

                break;
        }

        return value;
    }

    /// <summary>
    /// A deconstruction or compound assignment. A deconstruction of a tuple literal assigns element by element
    /// (<c>var (rc, page) = (Map(gfn, out var map), p);</c>): each target is written as a simple assignment would be,
    /// after every element was evaluated. Other writes get values the core does not follow, so the variables become
    /// unknown (after losing any pin they still owned).
    /// </summary>
    private protected override void VisitOtherAssignment(IAssignmentOperation assignment, FlowState state)
    {
        if (assignment is IDeconstructionAssignmentOperation && TryDeconstructTuple(assignment.Target, assignment.Value, state))
        {
            return;
        }

        Visit(assignment.Value, state);
        UnbindAll(assignment.Target, state);
    }

    /// <summary>Writes a tuple literal into a tuple of targets element by element; false (nothing done) for any other shape.</summary>
    private bool TryDeconstructTuple(IOperation target, IOperation value, FlowState state)
    {
        var targets = new System.Collections.Generic.List<IOperation>();
        var values = new System.Collections.Generic.List<IOperation>();
        if (!Pair(target, value, targets, values))
        {
            return false;
        }

        // A value read from a variable the same deconstruction writes (a swap) is not followed.
        foreach (var element in values)
        {
            if (Unwrap(element) is ILocalReferenceOperation or IParameterReferenceOperation && Written(targets, Unwrap(element)!))
            {
                return false;
            }
        }

        var evaluated = new AbstractValue[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            evaluated[i] = Visit(values[i], state);
        }

        for (var i = 0; i < targets.Count; i++)
        {
            switch (targets[i])
            {
                case ILocalReferenceOperation local when IsTrackable(local.Local):
                    AssignVariable(local.Local, evaluated[i], state, targets[i]);
                    break;
                case IParameterReferenceOperation parameter when IsTrackable(parameter.Parameter):
                    AssignParameter(parameter.Parameter, evaluated[i], state, targets[i]);
                    break;
                case IDiscardOperation:
                    Discarded(values[i], evaluated[i], state);
                    break;
                default:
                    UnbindAll(targets[i], state);
                    break;
            }
        }

        return true;
    }

    /// <summary>Pairs the leaves of a target tuple with the elements of a value tuple literal of the same shape.</summary>
    private static bool Pair(IOperation target, IOperation value, System.Collections.Generic.List<IOperation> targets, System.Collections.Generic.List<IOperation> values)
    {
        var targetTuple = target is IDeclarationExpressionOperation declaration ? declaration.Expression : target;
        if (targetTuple is not ITupleOperation targetElements)
        {
            targets.Add(targetTuple);
            values.Add(value);
            return true;
        }

        if (Unwrap(value) is not ITupleOperation valueElements || valueElements.Elements.Length != targetElements.Elements.Length)
        {
            return false;
        }

        for (var i = 0; i < targetElements.Elements.Length; i++)
        {
            if (!Pair(targetElements.Elements[i], valueElements.Elements[i], targets, values))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Written(System.Collections.Generic.List<IOperation> targets, IOperation read)
    {
        foreach (var target in targets)
        {
            var same = (target, read) switch
            {
                (ILocalReferenceOperation written, ILocalReferenceOperation local) => SymbolEqualityComparer.Default.Equals(written.Local, local.Local),
                (IParameterReferenceOperation written, IParameterReferenceOperation parameter) => SymbolEqualityComparer.Default.Equals(written.Parameter, parameter.Parameter),
                _ => false,
            };
            if (same)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every variable <paramref name="target"/> writes gets a value nobody follows (after losing any pin it still owned).</summary>
    private void UnbindAll(IOperation target, FlowState state)
    {
        foreach (var node in OperationWalk.PreOrder(target))
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
            // Writing a [Pinned] out/ref parameter hands the pin to the caller, as a pinned return does.
            _recorder.Add(FlowEventKind.ReturnAsPinned, value.Facts, written.Parent is ISimpleAssignmentOperation assigned ? assigned.Value : written, value, parameter, Contract.Pinned);
            if (value.Key is { } source && value.Facts.Has(ValueFacts.Owned | ValueFacts.PinPending))
            {
                state.Set(source, value.Facts.WithState(ValueFacts.Escaped));
            }

            return;
        }

        AssignVariable(parameter, value, state, written);
    }

    /// <summary>
    /// Assigns to a local or parameter. Copying another local or parameter makes the copy a second name of the same
    /// value (one obligation under two names, as roslyn-analyzers' PointsTo gives both locals one abstract location):
    /// a release through either name releases it for both, and the pin is owed once.
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
        if (value.Key is { IsVariable: true, RootSymbol: not ILocalSymbol { IsUsing: true } } aliased)
        {
            state.Alias(key, aliased);
            if (state.AliasesOf(key)?.Length > FlowState.MaxNames)
            {
                // Past the bound the copy takes over the name it copies: one obligation still, under fewer names.
                Unbind(aliased, state);
            }
        }
        else
        {
            if (value.Key is { MemberCount: 0, RootSymbol: IFieldSymbol or ILocalSymbol { IsUsing: true } } && facts.Has(ValueFacts.Owned))
            {
                facts = facts.WithState(ValueFacts.Held);
            }

            state.SetOrForget(key, facts);
        }

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
        // A value with another name is still held by that name: the pin is not lost here.
        if (Recording && state.AliasesOf(key) is null)
        {
            ObligationEnds(key, state.Get(key), write);
        }

        state.Detach(key);
        state.VoidOutcomesMentioning(key);
    }

    /// <summary>The value <paramref name="key"/> holds becomes unknown, under every name it has.</summary>
    private static void Forget(AccessPath key, FlowState state)
    {
        if (state.AliasesOf(key) is { } names)
        {
            foreach (var name in names)
            {
                state.VoidOutcomesMentioning(name);
            }
        }

        state.Forget(key);
        state.VoidOutcomesMentioning(key);
    }

    /// <summary>The variable <paramref name="key"/> gets a value nobody follows: it leaves its group and becomes unknown.</summary>
    private static void Unbind(AccessPath key, FlowState state)
    {
        state.Detach(key);
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
