namespace MmuGuard.Samples.Races;

/// <summary>One step of an explored schedule: which operation ran, and what it reached or waited for.</summary>
/// <param name="Index">The step's position in the schedule.</param>
/// <param name="Operation">The operation (its CPU) that ran, such as <c>vcpu0</c> or <c>cpu1 host</c>.</param>
/// <param name="What">The preemption point reached, or the resource waited for.</param>
public sealed record ScheduleStep(int Index, string Operation, string What);
