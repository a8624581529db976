using System.Collections.Generic;
using System.Threading;
using MmuGuard.Concurrency;
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.Specifications;

namespace MmuGuard.Samples.Races;

/// <summary>
/// The Runtime's interleaving hook backed by Coyote: each preemption point is a Coyote scheduling point, a wait is a
/// yield, and before each switch the world's invariants are asserted, so a violation fails the iteration at the step
/// where it first holds.
/// </summary>
internal sealed class CoyoteScheduler : IInterleavingScheduler
{
    private readonly AsyncLocal<string?> _operation = new();
    private readonly List<ScheduleStep>? _steps;
    private RaceWorld? _world;

    /// <param name="steps">Where to record the schedule (a replay), or <see langword="null"/> to record nothing.</param>
    public CoyoteScheduler(List<ScheduleStep>? steps) => _steps = steps;

    /// <summary>The operation running on this logical thread.</summary>
    public string Operation => _operation.Value ?? "main";

    public void Watch(RaceWorld world) => _world = world;

    /// <summary>Names the operation of the current controlled task; called first thing in each task.</summary>
    public void Enter(string operation)
    {
        _operation.Value = operation;
        Record("start");
    }

    public void Reached(PreemptionPoint point)
    {
        Record(point.ToString());
        AssertInvariants(point.ToString());
        SchedulingPoint.Interleave();
    }

    public void Blocked(string resource)
    {
        Record("waits: " + resource);
        SchedulingPoint.Yield();
    }

    /// <summary>Asserts the invariants that must hold at every step.</summary>
    public void AssertInvariants(string where)
    {
        if (_world?.FindViolation() is { } violation)
        {
            Record("VIOLATION: " + violation);
            Specification.Assert(false, "{0} at {1}: {2}", Operation, where, violation);
        }
    }

    /// <summary>Asserts the invariants of a quiescent world (every operation finished).</summary>
    public void AssertQuiescent()
    {
        AssertInvariants("quiescence");
        if (_world?.FindQuiescenceViolation() is { } violation)
        {
            Record("VIOLATION: " + violation);
            Specification.Assert(false, "{0} at quiescence: {1}", Operation, violation);
        }
    }

    private void Record(string what)
    {
        if (_steps is not null)
        {
            _steps.Add(new ScheduleStep(_steps.Count, Operation, what));
        }
    }
}
