using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static MmuGuard.Analyzers.Flow.Conversions;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The lock transfer functions: taking and dropping locks (<c>[AcquiresLock]</c>/<c>[ReleasesLock]</c>, <c>lock</c>,
/// <c>Monitor.Enter</c>/<c>Exit</c>, a lock scope's <c>Dispose</c>), and what they mean for the retry checks of the
/// values resolved in the body: a check counts only inside a critical section of an invalidation lock that lasts
/// until the install.
/// </summary>
internal sealed partial class OwnershipTransfer
{
    /// <summary>The flow captures of this body that hold an invalidation lock (the graph's copy of a <c>lock</c> statement's object).</summary>
    private readonly System.Collections.Generic.HashSet<CaptureId> _invalidationLockCaptures = new();

    /// <summary>The lock operations of one call, after its arguments and receiver were visited.</summary>
    private void LockOperations(IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, Contract contract, FlowState state)
    {
        if (instance is not null && contract.Has(Contract.AcquiresLock | Contract.ReleasesLock))
        {
            LockOperation(contract.Has(Contract.AcquiresLock), IsInvalidationLock(instance) || IsInvalidationLockType(method.ContainingType), state);
        }

        if (_contracts.Known.Monitor is { } monitor && SymbolEqualityComparer.Default.Equals(method.ContainingType, monitor)
            && method.Name is "Enter" or "Exit" && !arguments.IsEmpty)
        {
            // `lock (x)` lowers to Monitor.Enter(x, ref taken) … Monitor.Exit(x). Only a marked object is one of the
            // vocabulary's locks: a `lock` on anything else keeps the meaning it had in code never annotated for locks.
            if (IsInvalidationLock(arguments[0].Value))
            {
                LockOperation(method.Name == "Enter", invalidationLock: true, state);
            }

            return;
        }

        if (!contract.Has(Contract.HasAnnotatedParameter))
        {
            return;
        }

        foreach (var argument in arguments)
        {
            var parameterContract = argument.Parameter is { } parameter ? _contracts.Of(parameter) : Contract.None;
            if (parameterContract.Has(Contract.AcquiresLock | Contract.ReleasesLock))
            {
                LockOperation(parameterContract.Has(Contract.AcquiresLock), IsInvalidationLock(argument.Value), state);
            }
        }
    }

    private static void LockOperation(bool acquire, bool invalidationLock, FlowState state)
    {
        if (acquire)
        {
            // The body does its own locking: a retry check it made before taking any lock was made outside one.
            state.Locks = invalidationLock ? LockStatus.MayBeHeld : state.Locks == LockStatus.None ? LockStatus.MayBeFree : state.Locks;
            state.UpdateAll(static facts => facts.Has(ValueFacts.CheckedBeforeLocking)
                ? (facts & ~ValueFacts.CheckedBeforeLocking) | ValueFacts.CheckedOutsideLock
                : facts);
            return;
        }

        if (invalidationLock)
        {
            // The critical section ends: a retry check made in it no longer covers a later install.
            state.Locks = LockStatus.MayBeFree;
            state.UpdateAll(static facts => facts.Has(ValueFacts.ResolvedHere) ? facts | ValueFacts.LockDroppedSinceCheck : facts);
        }
        else if (state.Locks == LockStatus.None)
        {
            state.Locks = LockStatus.MayBeFree;
        }
    }

    /// <summary>A retry check: the values resolved here are checked in the current lock context (replacing an earlier check's).</summary>
    private static void RetryChecked(FlowState state)
    {
        var context = state.Locks.HasFlag(LockStatus.MayBeFree) ? ValueFacts.CheckedOutsideLock
            : state.Locks == LockStatus.None ? ValueFacts.CheckedBeforeLocking
            : ValueFacts.None;
        state.UpdateAll(facts => facts.Has(ValueFacts.ResolvedHere) ? (facts & ~ValueFacts.LockChecks) | context : facts);
    }

    /// <summary>Whether the lock expression names an invalidation lock: a member or type marked <c>[InvalidationLock]</c>.</summary>
    private bool IsInvalidationLock(IOperation? operation)
    {
        var lockOperation = Unwrap(operation);
        if (lockOperation is null)
        {
            return false;
        }

        if (IsInvalidationLockType(lockOperation.Type))
        {
            return true;
        }

        var member = lockOperation switch
        {
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => (ISymbol?)null,
        };
        return _contracts.Of(member).Has(Contract.InvalidationLock)
            || (lockOperation is IFlowCaptureReferenceOperation capture && _invalidationLockCaptures.Contains(capture.Id));
    }

    /// <summary>`lock (vm.MmuLock)` reaches Monitor.Enter/Exit through a capture of the lock expression: remember which captures name an invalidation lock.</summary>
    private protected override void CaptureDefined(IFlowCaptureOperation capture)
    {
        if (!_invalidationLockCaptures.Contains(capture.Id) && Unwrap(capture.Value) is IFieldReferenceOperation or IPropertyReferenceOperation
            && IsInvalidationLock(capture.Value))
        {
            _invalidationLockCaptures.Add(capture.Id);
        }
    }

    private bool IsInvalidationLockType(ITypeSymbol? type) => type is not null && _contracts.Of(type).Has(Contract.InvalidationLock);
}
