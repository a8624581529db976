using System.Collections.Immutable;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The meaning of a bool value for branches on it, as Clang's try-acquire: a proposition of its
/// <see cref="Kind"/> and the bool value on which it holds. One canonical instance per producing operation, so a
/// result stored in a bool local and tested later (even twice) refines the same values.
/// </summary>
internal sealed class BranchOutcome
{
    public static readonly BranchOutcome Unknown = new(BranchOutcomeKind.Unknown, holdsWhen: true, ImmutableArray<PendingPin>.Empty, key: null);
    public static readonly BranchOutcome True = new(BranchOutcomeKind.Constant, holdsWhen: true, ImmutableArray<PendingPin>.Empty, key: null);
    public static readonly BranchOutcome False = new(BranchOutcomeKind.Constant, holdsWhen: false, ImmutableArray<PendingPin>.Empty, key: null);

    private BranchOutcome? _negated;
    private BranchOutcome? _success;
    private BranchOutcome? _failsWhenTrue;
    private BranchOutcome? _impliedTrue;
    private BranchOutcome? _impliedFalse;

    /// <summary>The outcomes this one was combined with at merges (<see cref="CombinedWith"/>), one instance per pair.</summary>
    private System.Collections.Generic.Dictionary<BranchOutcome, BranchOutcome>? _combined;

    private BranchOutcome(BranchOutcomeKind kind, bool holdsWhen, ImmutableArray<PendingPin> pins, AccessPath? key, BranchOutcome? source = null, int? successResult = null, bool successIsHighest = false)
    {
        Kind = kind;
        HoldsWhen = holdsWhen;
        Pins = pins;
        Key = key;
        Source = source;
        SuccessResult = successResult;
        SuccessIsHighest = successIsHighest;
    }

    public BranchOutcomeKind Kind { get; }

    /// <summary>
    /// The bool value on which the proposition of <see cref="Kind"/> holds: the try-pin succeeded
    /// (<see cref="BranchOutcomeKind.Pin"/>), a retry was requested (<see cref="BranchOutcomeKind.RetryCheck"/>),
    /// the value is null or an error value (<see cref="BranchOutcomeKind.NullCheck"/>), the try-pin failed
    /// (<see cref="BranchOutcomeKind.PinFailure"/>), the edge is feasible at all (<see cref="BranchOutcomeKind.Constant"/>,
    /// so this is the constant's value). Unused for <see cref="BranchOutcomeKind.PinResult"/>, which is not a bool.
    /// </summary>
    public bool HoldsWhen { get; }

    /// <summary>The values a try-pin pins, each with its own success value.</summary>
    public ImmutableArray<PendingPin> Pins { get; }

    /// <summary>
    /// Whether this outcome joins the try-pins of several paths: a value it pins that is not known on an edge (dead, or
    /// never reached on this path) holds nothing there.
    /// </summary>
    public bool IsCombined { get; private set; }

    /// <summary>The reference a null check tests.</summary>
    public AccessPath? Key { get; }

    /// <summary>For <see cref="BranchOutcomeKind.PinFailure"/>: the success outcome of the try-pin it refutes.</summary>
    public BranchOutcome? Source { get; }

    /// <summary>
    /// For <see cref="BranchOutcomeKind.PinResult"/>: the <c>int</c> result meaning "pinned", or
    /// <see langword="null"/> when any result but an error value means it.
    /// </summary>
    public int? SuccessResult { get; }

    /// <summary>For <see cref="BranchOutcomeKind.Implication"/>: the value <see cref="Source"/> was decided on the proving edge.</summary>
    public bool ImpliedValue { get; private set; }

    /// <summary>For <see cref="BranchOutcomeKind.PinResult"/> with a <see cref="SuccessResult"/>: no result is above it.</summary>
    public bool SuccessIsHighest { get; }

    /// <summary>For <see cref="BranchOutcomeKind.PinResult"/>: the bool outcome "the try-pin succeeded" (true = pinned).</summary>
    public BranchOutcome Success
    {
        get
        {
            if (_success is null)
            {
                System.Threading.Interlocked.CompareExchange(ref _success, new BranchOutcome(BranchOutcomeKind.Pin, holdsWhen: true, Pins, key: null) { IsCombined = IsCombined }, null);
            }

            return _success!;
        }
    }

    public static BranchOutcome ForPin(ImmutableArray<PendingPin> pins) => new(BranchOutcomeKind.Pin, holdsWhen: true, pins, key: null);

    /// <summary>The non-bool result of a try-pin (an <c>int</c> status, a pfn): its tests decide the pin.</summary>
    public static BranchOutcome ForPinResult(ImmutableArray<PendingPin> pins, int? successResult, bool successIsHighest = false) =>
        new(BranchOutcomeKind.PinResult, holdsWhen: true, pins, key: null, successResult: successResult, successIsHighest: successIsHighest);

    /// <summary>
    /// A <c>[NotRefcountedCheck]</c> of <paramref name="key"/>, true where the value has no refcounted page;
    /// <paramref name="pins"/> are the values a try-pin whose result <paramref name="key"/> is pinned, which did not pin there.
    /// </summary>
    public static BranchOutcome ForNotRefcounted(AccessPath key, ImmutableArray<PendingPin> pins) =>
        new(BranchOutcomeKind.NotRefcounted, holdsWhen: true, pins, key);

    public static BranchOutcome ForRetryCheck() => new(BranchOutcomeKind.RetryCheck, holdsWhen: true, ImmutableArray<PendingPin>.Empty, key: null);

    public static BranchOutcome ForNullCheck(AccessPath key) => new(BranchOutcomeKind.NullCheck, holdsWhen: true, ImmutableArray<PendingPin>.Empty, key);

    public static BranchOutcome Constant(bool value) => value ? True : False;

    /// <summary>
    /// For <see cref="BranchOutcomeKind.PinResult"/>: a test whose <paramref name="value"/> edge proves the try-pin
    /// failed and whose other edge proves nothing (<c>rc == -EINVAL</c> for a try-pin that succeeds on 0).
    /// </summary>
    public BranchOutcome FailsWhen(bool value)
    {
        if (_failsWhenTrue is null)
        {
            // Created as a pair, each the other's negation, so `!(rc == -EINVAL)` is the same instance as `rc != -EINVAL`.
            var whenTrue = new BranchOutcome(BranchOutcomeKind.PinFailure, holdsWhen: true, Pins, key: null, source: Success);
            var whenFalse = new BranchOutcome(BranchOutcomeKind.PinFailure, holdsWhen: false, Pins, key: null, source: Success) { _negated = whenTrue };
            whenTrue._negated = whenFalse;
            System.Threading.Interlocked.CompareExchange(ref _failsWhenTrue, whenTrue, null);
        }

        return value ? _failsWhenTrue! : _failsWhenTrue!.Negated;
    }

    /// <summary>
    /// The zero test of a value correlated with this decided outcome: its true edge proves this outcome was decided
    /// <paramref name="value"/>, its false edge proves nothing. One pair of instances per value, each the other's negation.
    /// </summary>
    public BranchOutcome Implied(bool value)
    {
        if ((value ? _impliedTrue : _impliedFalse) is { } existing)
        {
            return existing;
        }

        var whenTrue = new BranchOutcome(BranchOutcomeKind.Implication, holdsWhen: true, Pins, Key, source: this) { ImpliedValue = value };
        var whenFalse = new BranchOutcome(BranchOutcomeKind.Implication, holdsWhen: false, Pins, Key, source: this) { ImpliedValue = value, _negated = whenTrue };
        whenTrue._negated = whenFalse;
        if (value)
        {
            System.Threading.Interlocked.CompareExchange(ref _impliedTrue, whenTrue, null);
        }
        else
        {
            System.Threading.Interlocked.CompareExchange(ref _impliedFalse, whenTrue, null);
        }

        return (value ? _impliedTrue : _impliedFalse)!;
    }

    /// <summary>The outcome of <c>!value</c>; cached so repeated analysis passes see one instance.</summary>
    public BranchOutcome Negated
    {
        get
        {
            if (Kind == BranchOutcomeKind.Unknown)
            {
                return this;
            }

            if (Kind == BranchOutcomeKind.Constant)
            {
                return HoldsWhen ? False : True;
            }

            if (_negated is null)
            {
                var builder = ImmutableArray.CreateBuilder<PendingPin>(Pins.Length);
                foreach (var pin in Pins)
                {
                    builder.Add(new PendingPin(pin.Key, !pin.PinnedWhen));
                }

                var negated = new BranchOutcome(Kind, !HoldsWhen, builder.MoveToImmutable(), Key) { _negated = this, IsCombined = IsCombined };
                System.Threading.Interlocked.CompareExchange(ref _negated, negated, null);
            }

            return _negated!;
        }
    }

    /// <summary>
    /// The join at a merge: the same outcome stays; a constant joined with an outcome keeps the outcome (the
    /// <c>bool pinned = false; … pinned = TryPin(p);</c> idiom); anything else becomes unknown.
    /// </summary>
    public static BranchOutcome? Join(BranchOutcome? left, BranchOutcome? right)
    {
        if (left is null || ReferenceEquals(left, right))
        {
            return right;
        }

        if (right is null)
        {
            return left;
        }

        if (left.Kind == BranchOutcomeKind.Constant && right.Kind == BranchOutcomeKind.Constant)
        {
            return Unknown;
        }

        return left.Kind == BranchOutcomeKind.Constant ? right
            : right.Kind == BranchOutcomeKind.Constant ? left
            : left.CombinedWith(right) ?? Unknown;
    }

    /// <summary>
    /// Two try-pin results of the same kind meeting at a merge (<c>r = pin_user_pages_fast(…) == 1;</c> on one path,
    /// <c>r = get_user_page_fast_only(…, &amp;page);</c> on the other): the value means "the try-pin of this path
    /// succeeded" on every path, so one outcome pins the values of both. Kept per pair, so repeated fixpoint passes see
    /// one instance; <see langword="null"/> when the two do not combine.
    /// </summary>
    private BranchOutcome? CombinedWith(BranchOutcome other)
    {
        if (Kind != other.Kind || Kind is not (BranchOutcomeKind.Pin or BranchOutcomeKind.PinResult)
            || HoldsWhen != other.HoldsWhen || SuccessResult != other.SuccessResult || SuccessIsHighest != other.SuccessIsHighest)
        {
            return null;
        }

        if (Covers(Pins, other.Pins))
        {
            return this;
        }

        if (Covers(other.Pins, Pins))
        {
            return other;
        }

        _combined ??= new System.Collections.Generic.Dictionary<BranchOutcome, BranchOutcome>();
        if (!_combined.TryGetValue(other, out var combined))
        {
            var pins = Pins.ToBuilder();
            foreach (var pin in other.Pins)
            {
                if (!Contains(Pins, pin))
                {
                    pins.Add(pin);
                }
            }

            combined = new BranchOutcome(Kind, HoldsWhen, pins.ToImmutable(), key: null, successResult: SuccessResult, successIsHighest: SuccessIsHighest) { IsCombined = true };
            _combined[other] = combined;
        }

        return combined;
    }

    private static bool Covers(ImmutableArray<PendingPin> pins, ImmutableArray<PendingPin> covered)
    {
        foreach (var pin in covered)
        {
            if (!Contains(pins, pin))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(ImmutableArray<PendingPin> pins, PendingPin pin)
    {
        foreach (var candidate in pins)
        {
            if (candidate.PinnedWhen == pin.PinnedWhen && candidate.Key.Equals(pin.Key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The join of the outcomes two evaluated values carry (flow captures at a merge). Unlike in
    /// <see cref="Join"/>, where a missing entry is bottom (no path seen yet), a value without an outcome is
    /// <b>unknown</b>: the capture exists, so a path produced it, and its bool is not known. So
    /// <c>var valid = a &amp;&amp; b;</c> (the constant <c>false</c> of the short-circuit edge meeting the unknown
    /// <c>b</c>) is unknown, and both edges of <c>if (!valid)</c> stay feasible.
    /// </summary>
    public static BranchOutcome? JoinValues(BranchOutcome? left, BranchOutcome? right) =>
        left is null || right is null ? null : Join(left, right);

    /// <summary>Whether this outcome says something about <paramref name="key"/> or a location through it (so reassigning the key voids it).</summary>
    public bool Mentions(AccessPath key)
    {
        if (Key is { } tested && tested.StartsWith(key))
        {
            return true;
        }

        foreach (var pin in Pins)
        {
            if (pin.Key.StartsWith(key))
            {
                return true;
            }
        }

        return false;
    }
}
