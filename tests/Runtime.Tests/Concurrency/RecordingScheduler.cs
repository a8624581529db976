using System;
using System.Collections.Generic;
using MmuGuard.Concurrency;

namespace MmuGuard.Runtime.Tests.Concurrency;

/// <summary>A scheduler that never switches: it records the preemption points a single-threaded run reaches.</summary>
public sealed class RecordingScheduler : IInterleavingScheduler
{
    public List<PreemptionPoint> Points { get; } = new();

    public void Reached(PreemptionPoint point) => Points.Add(point);

    public void Blocked(string resource) =>
        throw new InvalidOperationException("A single-threaded run waited for " + resource + ": nothing else can run.");
}
