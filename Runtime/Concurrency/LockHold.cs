namespace MmuGuard.Concurrency;

/// <summary>A held simulated-kernel lock (<c>mmu_lock</c>, a PFN cache's lock); disposing it releases the lock.</summary>
public readonly struct LockHold : System.IDisposable
{
    private readonly ModelLock? _lock;

    internal LockHold(ModelLock held) => _lock = held;

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock?.Release();
}
