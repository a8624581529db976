namespace MmuGuard.Concurrency;

/// <summary>
/// The hook a systematic explorer (for example Microsoft Coyote, plugged in by a test) attaches to a
/// <see cref="Guest.Vm"/>: the Runtime calls it at every <see cref="PreemptionPoint"/> and whenever an operation
/// waits for another (a held lock, a vCPU that must leave guest mode). The Runtime has no dependency on any explorer.
/// </summary>
/// <remarks>
/// An attached scheduler promises to run one operation at a time, switching only inside these calls: the Runtime's
/// state is then touched by one thread at a time even though the operations live on several threads.
/// </remarks>
public interface IInterleavingScheduler
{
    /// <summary>The running operation reached <paramref name="point"/>: the scheduler may switch to another operation here.</summary>
    void Reached(PreemptionPoint point);

    /// <summary>
    /// The running operation cannot go on until another one acts (it spins on <paramref name="resource"/>): the
    /// scheduler must let another operation run before it returns, or report a deadlock.
    /// </summary>
    void Blocked(string resource);
}
