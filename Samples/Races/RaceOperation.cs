using System;

namespace MmuGuard.Samples.Races;

/// <summary>One side of a race: what one CPU does to the world, run as its own controlled task.</summary>
/// <param name="Cpu">The CPU it runs on, as the schedule and the trace name it (<c>vcpu0</c>, <c>cpu1 host</c>).</param>
/// <param name="Run">The work.</param>
public sealed record RaceOperation(string Cpu, Action<RaceWorld> Run);
