using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static MmuGuard.Analyzers.Flow.Conversions;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The generic layer of the transfer functions, as roslyn-analyzers' data-flow visitors keep it apart from the
/// analyses built on them: which location an expression reads (locals, parameters, flow captures, conversions),
/// what a bool expression tests (<c>!</c>, <c>is</c> patterns, <c>==</c> against a constant, null tests), and an
/// operation walk that costs no native stack on long chains. What calls, stores and member reads do to a value is
/// left to the analysis deriving from it (<see cref="OwnershipTransfer"/>).
/// </summary>
internal abstract class ValueWalker
{
    /// <summary>
    /// The nesting bound for transfer functions: a few frames each, a small part of a 1 MB stack
    /// (DeepShapeTests nests 500 calls on one).
    /// </summary>
    private const int MaxTransferDepth = 200;

    private readonly IMethodSymbol? _function;
    private readonly HashSet<ISymbol> _captured;
    private readonly Dictionary<IOperation, BranchOutcome> _canonicalOutcomes = new();

    /// <summary>The explicit stack of <see cref="VisitPlain"/>, shared: each nested walk works above its caller's entries.</summary>
    private readonly List<IOperation> _plainWalk = new();

    /// <summary>How many operations with a transfer function the current visit is nested in.</summary>
    private int _transferDepth;

    private protected ValueWalker(IMethodSymbol? function, HashSet<ISymbol> captured)
    {
        _function = function;
        _captured = captured;
    }

    /// <summary>The function whose graph is walked (a method, lambda or local function), if known.</summary>
    private protected IMethodSymbol? Function => _function;

    /// <summary>
    /// The value of <paramref name="operation"/>, applying the transfer function of what it calls, reads and
    /// writes. Operations without one (arithmetic, string concatenation, literals…) are walked on an explicit stack,
    /// so a <c>u + u + …</c> chain of any length costs no native stack; operations with one recurse, at most
    /// <see cref="MaxTransferDepth"/> deep: below that, nested operations are walked as plain ones (their children
    /// are still visited, so reads, writes and calls in them keep their effects, but the nested operation's own
    /// transfer function is not applied). C# code nests calls, assignments and conversions a few levels deep; only
    /// machine-made code reaches the bound.
    /// </summary>
    public AbstractValue Visit(IOperation? operation, FlowState state)
    {
        if (operation is null)
        {
            return default;
        }

        if (_transferDepth >= MaxTransferDepth || !HasTransferFunction(operation))
        {
            return VisitPlain(operation, state);
        }

        _transferDepth++;
        var value = VisitWithTransferFunction(operation, state);
        _transferDepth--;
        return value;
    }

    private protected abstract AbstractValue VisitInvocation(IInvocationOperation invocation, FlowState state);

    private protected abstract AbstractValue VisitCreation(IObjectCreationOperation creation, IMethodSymbol constructor, FlowState state);

    private protected abstract AbstractValue VisitAssignment(ISimpleAssignmentOperation assignment, FlowState state);

    /// <summary>A deconstruction or compound assignment.</summary>
    private protected abstract void VisitOtherAssignment(IAssignmentOperation assignment, FlowState state);

    private protected abstract AbstractValue VisitFieldRead(IFieldReferenceOperation field, FlowState state);

    private protected abstract AbstractValue VisitPropertyRead(IPropertyReferenceOperation property, FlowState state);

    /// <summary>Whether <paramref name="operand"/> reads a member marked <c>[ErrorValue]</c>.</summary>
    private protected abstract bool IsErrorValue(IOperation operand);

    /// <summary>The graph captures a value (a <c>lock</c> statement's lock object, a spilled target): a hook for what the capture stands for.</summary>
    private protected virtual void CaptureDefined(IFlowCaptureOperation capture)
    {
    }

    /// <summary>Whether <paramref name="symbol"/> is a local or parameter of this function that no nested function captures.</summary>
    private protected bool IsTrackable(ISymbol symbol) =>
        symbol is ILocalSymbol or IParameterSymbol
        && !_captured.Contains(symbol)
        && (_function is null || SymbolEqualityComparer.Default.Equals(symbol.ContainingSymbol, _function));

    /// <summary>The one outcome instance <paramref name="producer"/> yields on every pass, so states can compare outcomes by reference.</summary>
    private protected BranchOutcome Canonical(IOperation producer, System.Func<BranchOutcome> create)
    {
        if (!_canonicalOutcomes.TryGetValue(producer, out var outcome))
        {
            outcome = create();
            _canonicalOutcomes[producer] = outcome;
        }

        return outcome;
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
            if (_transferDepth >= MaxTransferDepth || !HasTransferFunction(next))
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
            IBinaryOperation binary => IsComparison(binary.OperatorKind),
            _ => false,
        };

    private AbstractValue VisitWithTransferFunction(IOperation operation, FlowState state)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return VisitInvocation(invocation, state);
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                return VisitCreation(creation, constructor, state);
            case ISimpleAssignmentOperation assignment:
                return VisitAssignment(assignment, state);
            case ILocalReferenceOperation local:
                return Read(local.Local, state);
            case IParameterReferenceOperation parameter:
                return Read(parameter.Parameter, state);
            case IFieldReferenceOperation field:
                return VisitFieldRead(field, state);
            case IPropertyReferenceOperation property:
                return VisitPropertyRead(property, state);
            case IAssignmentOperation otherAssignment:
                VisitOtherAssignment(otherAssignment, state);
                return default;
            case IConversionOperation conversion:
                return Visit(conversion.Operand, state);
            case IDeclarationExpressionOperation declaration:
                return Visit(declaration.Expression, state);
            case IFlowCaptureOperation capture:
                CaptureDefined(capture);
                state.SetCapture(capture.Id, Visit(capture.Value, state));
                return default;
            case IFlowCaptureReferenceOperation captureReference:
                return ReadCapture(captureReference, state);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return new AbstractValue(null, ValueFacts.None, Visit(not.Operand, state).Outcome?.Negated);
            case IIsPatternOperation isPattern:
                return new AbstractValue(null, ValueFacts.None, PatternOutcome(isPattern, Visit(isPattern.Value, state), state));
            case IBinaryOperation binary when IsComparison(binary.OperatorKind):
                return VisitComparison(binary, state);
            case IIsNullOperation isNull:
                return new AbstractValue(null, ValueFacts.None, NullTest(isNull, Visit(isNull.Operand, state), isNullWhen: true));
            default:
                return VisitPlain(operation, state);
        }
    }

    private static bool IsComparison(BinaryOperatorKind kind) =>
        kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan
            or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

    /// <summary>
    /// A comparison of a tested value with a constant or an error value: <c>ok == false</c>, <c>page != null</c>,
    /// <c>rc == 0</c>, <c>rc &lt; 0</c>, <c>pfn == KvmPfn.ErrFault</c>. The tested value may be on either side.
    /// </summary>
    private AbstractValue VisitComparison(IBinaryOperation binary, FlowState state)
    {
        var left = Visit(binary.LeftOperand, state);
        var right = Visit(binary.RightOperand, state);
        var kind = binary.OperatorKind;
        var testedOnLeft = IsConstant(binary.RightOperand) || IsErrorValue(binary.RightOperand);
        var tested = testedOnLeft ? left : right;
        var other = testedOnLeft ? binary.RightOperand : binary.LeftOperand;
        if (!testedOnLeft)
        {
            kind = Mirrored(kind);
        }

        return new AbstractValue(null, ValueFacts.None, CompareOutcome(binary, tested, kind, other, state));
    }

    /// <summary>What <c>tested kind other</c> tells a branch, or <see langword="null"/> when it tells nothing.</summary>
    private BranchOutcome? CompareOutcome(IOperation test, AbstractValue tested, BinaryOperatorKind kind, IOperation other, FlowState state)
    {
        var equality = kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals;
        var equals = kind == BinaryOperatorKind.Equals;
        if (equality && tested is { Key: { } zeroTested, Outcome: null, Facts: ValueFacts.None } && IsZero(ConstantOf(other))
            && state.ZeroImplication(zeroTested) is { } implied)
        {
            // `hva == 0` / `hva is null` of a value correlated with a decided outcome: the zero edge proves it.
            return equals ? implied : implied.Negated;
        }

        if (ConstantOf(other) is { HasValue: true } constant)
        {
            switch (constant.Value)
            {
                case bool value when equality:
                    return tested.Outcome is null ? null : value == equals ? tested.Outcome : tested.Outcome.Negated;
                case null when equality:
                    return NullTest(test, tested, isNullWhen: equals);
            }

            if (tested.Outcome is { Kind: BranchOutcomeKind.PinResult, SuccessResult: { } success } result
                && AsInteger(constant.Value) is { } compared)
            {
                return ResultOutcome(result, success, kind, compared);
            }

            return null;
        }

        if (!equality || !IsErrorValue(other))
        {
            return null;
        }

        // Equal to an error value: that edge holds no pin; the other edge may still hold another error value.
        return tested.Outcome is { Kind: BranchOutcomeKind.PinResult, SuccessResult: null } errorFree
            ? errorFree.FailsWhen(equals)
            : NullTest(test, tested, isNullWhen: equals);
    }

    /// <summary>
    /// A test of a try-pin's <c>int</c> result against a constant: the edge holding only the success value proves
    /// the pin, an edge without it proves the failure, and an edge holding both proves nothing. When no result is
    /// above the success value (<c>SuccessIsHighest</c>), an edge that keeps only values at or above it (<c>r &gt;= 0</c>,
    /// the false edge of <c>r &lt; 0</c>, <c>npages &gt; 0</c> for a success of 1) holds only the success value.
    /// </summary>
    private static BranchOutcome? ResultOutcome(BranchOutcome result, long success, BinaryOperatorKind kind, long compared)
    {
        if (result.SuccessIsHighest)
        {
            if (OnlySuccessBelow(kind, success, compared))
            {
                return result.Success;
            }

            if (OnlySuccessBelow(Negated(kind), success, compared))
            {
                return result.Success.Negated;
            }
        }

        var successOnTrueEdge = kind switch
        {
            BinaryOperatorKind.Equals => success == compared,
            BinaryOperatorKind.NotEquals => success != compared,
            BinaryOperatorKind.LessThan => success < compared,
            BinaryOperatorKind.LessThanOrEqual => success <= compared,
            BinaryOperatorKind.GreaterThan => success > compared,
            _ => success >= compared,
        };
        if (compared == success && kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)
        {
            return kind == BinaryOperatorKind.Equals ? result.Success : result.Success.Negated;
        }

        return result.FailsWhen(!successOnTrueEdge);
    }

    /// <summary>
    /// Whether, among results no greater than <paramref name="success"/>, only the success value passes
    /// <c>result kind compared</c>: the success value passes and the result just below it does not, for a test that
    /// passes all larger results once it passes one (<c>&gt;</c>, <c>&gt;=</c>), or an equality with the success value.
    /// </summary>
    private static bool OnlySuccessBelow(BinaryOperatorKind kind, long success, long compared) => kind switch
    {
        BinaryOperatorKind.Equals => compared == success,
        BinaryOperatorKind.GreaterThan => success > compared && success - 1 <= compared,
        BinaryOperatorKind.GreaterThanOrEqual => success >= compared && success - 1 < compared,
        _ => false,
    };

    private static BinaryOperatorKind Negated(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Equals => BinaryOperatorKind.NotEquals,
        BinaryOperatorKind.NotEquals => BinaryOperatorKind.Equals,
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThanOrEqual,
        _ => BinaryOperatorKind.LessThan,
    };

    /// <summary>A null or error test of <paramref name="tested"/>: the value holds no pin on the <paramref name="isNullWhen"/> edge.</summary>
    private protected BranchOutcome? NullTest(IOperation test, AbstractValue tested, bool isNullWhen)
    {
        if (tested.Key is not { } key)
        {
            return null;
        }

        var isNull = Canonical(test, () => BranchOutcome.ForNullCheck(key));
        return isNullWhen ? isNull : isNull.Negated;
    }

    /// <summary>The constant of <paramref name="operand"/>; a null converted to <c>Nullable&lt;T&gt;</c> has none of its own, so it is unwrapped.</summary>
    private static Optional<object?> ConstantOf(IOperation operand) =>
        operand.ConstantValue.HasValue ? operand.ConstantValue : Unwrap(operand)?.ConstantValue ?? default;

    private static bool IsConstant(IOperation operand) => ConstantOf(operand).HasValue;

    private static BinaryOperatorKind Mirrored(BinaryOperatorKind kind) =>
        kind switch
        {
            BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
            BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
            BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
            BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
            _ => kind,
        };

    /// <summary>Whether a constant is zero or null (<c>hva == 0</c>, <c>map is null</c>).</summary>
    private static bool IsZero(Optional<object?> constant) =>
        constant.HasValue && constant.Value switch
        {
            null => true,
            ulong u => u == 0,
            nuint n => n == 0,
            nint n => n == 0,
            char c => c == 0,
            _ => AsInteger(constant.Value) == 0,
        };

    private static long? AsInteger(object? value) =>
        value switch
        {
            int i => i,
            long l => l,
            short s => s,
            sbyte b => b,
            byte b => b,
            ushort u => u,
            uint u => u,
            _ => null,
        };

    /// <summary>
    /// What an <c>is</c> pattern tests: <c>is true</c> / <c>is not false</c> a bool outcome, <c>is null</c> /
    /// <c>is not null</c> / <c>is { }</c> a null test, <c>is 0</c> / <c>is &lt; 0</c> a try-pin's result.
    /// </summary>
    private BranchOutcome? PatternOutcome(IIsPatternOperation test, AbstractValue tested, FlowState state)
    {
        // `is not not … true`: a loop, since a pattern may be negated any number of times.
        var pattern = test.Pattern;
        var negations = 0;
        while (pattern is INegatedPatternOperation negated)
        {
            negations++;
            pattern = negated.Pattern;
        }

        var outcome = pattern switch
        {
            IConstantPatternOperation constant => CompareOutcome(test, tested, BinaryOperatorKind.Equals, constant.Value, state),
            IRelationalPatternOperation relational => CompareOutcome(test, tested, relational.OperatorKind, relational.Value, state),
            IRecursivePatternOperation { DeclaredSymbol: null, DeconstructionSubpatterns.IsEmpty: true, PropertySubpatterns.IsEmpty: true } =>
                NullTest(test, tested, isNullWhen: false),
            _ => null,
        };
        return outcome is null || negations % 2 == 0 ? outcome : outcome.Negated;
    }

    private AbstractValue Read(ISymbol variable, FlowState state)
    {
        if (!IsTrackable(variable))
        {
            return default;
        }

        var key = AccessPath.Of(variable);
        return new AbstractValue(key, state.Get(key), state.GetOutcome(key));
    }

    private static AbstractValue ReadCapture(IFlowCaptureReferenceOperation reference, FlowState state)
    {
        if (!state.TryGetCapture(reference.Id, out var captured))
        {
            return default;
        }

        return captured.Key is not { } key ? captured : new AbstractValue(key, state.Get(key), captured.Outcome);
    }
}
