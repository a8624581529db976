namespace MmuGuard.Guest;

/// <summary>A virtual CPU: touches guest frames, taking stage-2 faults and retrying them as KVM re-enters the guest.</summary>
public sealed class Vcpu
{
    /// <summary>How many times one access retries a fault before giving up with <see cref="FaultResult.Retry"/>.</summary>
    public const int MaxFaultAttempts = 16;

    internal Vcpu(Vm vm, int id)
    {
        Vm = vm;
        Id = id;
    }

    /// <summary>The VM the vCPU belongs to.</summary>
    public Vm Vm { get; }

    /// <summary>The vCPU index.</summary>
    public int Id { get; }

    /// <summary>How many faults the vCPU has taken.</summary>
    public long Faults { get; private set; }

    /// <summary>How many of those faults had to be retried.</summary>
    public long Retries { get; private set; }

    /// <summary>
    /// Accesses <paramref name="gfn"/>: a stage-2 hit returns <see cref="FaultResult.AlreadyMapped"/>; a miss faults,
    /// retrying while an invalidation races it.
    /// </summary>
    public FaultResult Access(Gfn gfn) => Access(gfn, write: false);

    /// <summary>
    /// Reads or (when <paramref name="write"/>) writes <paramref name="gfn"/>: a stage-2 hit with the permission needed
    /// returns <see cref="FaultResult.AlreadyMapped"/>; a miss or a write to a read-only entry faults, retrying while
    /// an invalidation races it.
    /// </summary>
    public FaultResult Access(Gfn gfn, bool write)
    {
        for (var attempt = 0; attempt < MaxFaultAttempts; attempt++)
        {
            var result = Vm.HandleFault(gfn, write);
            if (result != FaultResult.AlreadyMapped)
            {
                Faults++;
            }

            if (result != FaultResult.Retry)
            {
                return result;
            }

            Retries++;
        }

        return FaultResult.Retry;
    }

    /// <summary>Formats as <c>vm/vcpu0</c>.</summary>
    public override string ToString() => Vm.Name + "/vcpu" + Id;
}
