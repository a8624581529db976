using System;

namespace MmuGuard.Concurrency;

/// <summary>
/// A lock of the simulated kernel (<c>mmu_lock</c>, <c>gpc-&gt;lock</c>): it records what runs under it, and with an
/// <see cref="IInterleavingScheduler"/> attached a contended acquire yields to the holder instead of blocking the
/// thread, so an explorer can run the holder to its release. Reentrant for its holder's thread.
/// </summary>
internal sealed class ModelLock
{
    private readonly Func<IInterleavingScheduler?> _scheduler;
    private int _holderThread;
    private int _depth;

    public ModelLock(string name, Func<IInterleavingScheduler?> scheduler)
    {
        Name = name;
        _scheduler = scheduler;
    }

    public string Name { get; }

    public bool IsHeld => _depth != 0;

    public LockHold Hold()
    {
        var caller = Environment.CurrentManagedThreadId;
        while (_depth != 0 && _holderThread != caller)
        {
            // Without a scheduler the owning Vm admits one thread, so a held lock here means a lost release.
            var scheduler = _scheduler() ?? throw new InvalidOperationException(
                $"{Name} is held by thread {_holderThread} and wanted by thread {caller} with no interleaving scheduler attached.");
            scheduler.Blocked(Name);
        }

        _holderThread = caller;
        _depth++;
        return new LockHold(this);
    }

    internal void Release()
    {
        if (_depth == 0 || _holderThread != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException($"{Name} released by a thread that does not hold it.");
        }

        _depth--;
    }
}
