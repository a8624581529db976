namespace MmuGuard.Concurrency;

/// <summary>A component whose operations may run under an <see cref="IInterleavingScheduler"/> (a <see cref="Guest.Vm"/>).</summary>
public interface IInterleaved
{
    /// <summary>The scheduler attached, or <see langword="null"/> when the component runs single-threaded.</summary>
    IInterleavingScheduler? Scheduler { get; }
}
