using System;
using System.Collections.Generic;
using MmuGuard.Concurrency;
using MmuGuard.Sanitizer;

namespace MmuGuard.Guest;

/// <summary>
/// A virtual CPU: touches guest frames, taking stage-2 faults and retrying them as KVM re-enters the guest; enters and
/// leaves guest mode with the host addresses of its <see cref="HardwareField"/>s loaded, and takes requests and kicks
/// from invalidations (<c>kvm_make_request</c>, <c>kvm_vcpu_kick</c>).
/// </summary>
public sealed class Vcpu
{
    /// <summary>How many times one access retries a fault before giving up with <see cref="FaultResult.Retry"/>.</summary>
    public const int MaxFaultAttempts = 16;

    private readonly List<HardwareField> _fields = new();

    internal Vcpu(Vm vm, int id)
    {
        Vm = vm;
        Id = id;
    }

    /// <summary>Whether the vCPU is in the host, in guest mode, or kicked and on its way out.</summary>
    public VcpuMode Mode { get; private set; }

    /// <summary>The requests made and not yet serviced.</summary>
    public VcpuRequests PendingRequests { get; private set; }

    /// <summary>The hardware fields the CPU consumes in guest mode.</summary>
    public IReadOnlyList<HardwareField> HardwareFields => _fields;

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

    /// <summary>Adds a hardware field named <paramref name="name"/>; it starts holding no address.</summary>
    public HardwareField AddHardwareField(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var field = new HardwareField(this, name);
        _fields.Add(field);
        return field;
    }

    /// <summary>Records <paramref name="requests"/> for the next entry (<c>kvm_make_request</c>); no kick.</summary>
    public void MakeRequest(VcpuRequests requests) => PendingRequests |= requests;

    /// <summary>
    /// Makes <paramref name="requests"/> and kicks the vCPU out of guest mode, returning only once it is out
    /// (<c>kvm_make_vcpus_request_mask</c> with <c>KVM_REQUEST_WAIT</c>). With an interleaving scheduler the kicker
    /// waits for the vCPU's own operation to take the exit; without one the exit happens at once, as the IPI would.
    /// </summary>
    public void RequestAndKick(VcpuRequests requests)
    {
        MakeRequest(requests);
        if (Mode == VcpuMode.InGuest)
        {
            Mode = VcpuMode.ExitingGuest;
        }

        if (Mode != VcpuMode.ExitingGuest)
        {
            return; // outside guest mode: the request is seen before the next entry
        }

        if (Vm.Scheduler is not { } scheduler)
        {
            Mode = VcpuMode.OutsideGuest;
            return;
        }

        while (Mode == VcpuMode.ExitingGuest)
        {
            scheduler.Blocked(this + " leaving guest mode");
        }
    }

    /// <summary>
    /// Enters guest mode (<c>vcpu_enter_guest</c>): services pending requests (reloading hardware fields from their
    /// PFN caches), publishes <see cref="VcpuMode.InGuest"/>, and checks for requests once more, since a request made
    /// before the mode was visible sent no kick. Returns <see langword="false"/> when a hardware field could not be
    /// reloaded and holds <c>INVALID_GPA</c>: the entry fails.
    /// </summary>
    /// <exception cref="InvalidOperationException">The vCPU is already in guest mode.</exception>
    public bool EnterGuest()
    {
        if (Mode == VcpuMode.InGuest)
        {
            throw new InvalidOperationException($"{this} is already in guest mode.");
        }

        while (true)
        {
            Mode = VcpuMode.OutsideGuest;
            if (!ServiceRequests())
            {
                return false;
            }

            // A request made here sends no kick (the vCPU is not in guest mode yet): the check below catches it.
            Vm.Preempt(PreemptionPoint.BeforeGuestEntry);
            Mode = VcpuMode.InGuest;
            if (PendingRequests == VcpuRequests.None)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Runs one stretch of guest code: the hardware consumes every loaded field, and the sanitizer reports a field
    /// whose frame its guest page no longer maps (<see cref="FindingKind.StaleHardwareAddress"/>). A pending kick is
    /// taken first, with the exit and re-entry it causes. Returns <see langword="false"/> when re-entry failed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The vCPU never entered guest mode.</exception>
    public bool RunInGuest()
    {
        if (Mode == VcpuMode.OutsideGuest && PendingRequests == VcpuRequests.None)
        {
            throw new InvalidOperationException($"{this} runs guest code only after EnterGuest.");
        }

        Vm.Preempt(PreemptionPoint.InGuest);
        if (Mode != VcpuMode.InGuest && !EnterGuest())
        {
            return false;
        }

        foreach (var field in _fields)
        {
            if (field.IsLoaded && !Vm.MapsCurrently(field.Gfn, field.Pfn) && Vm.Sanitizer is { Enabled: true } sanitizer)
            {
                sanitizer.Report(
                    FindingKind.StaleHardwareAddress,
                    field.Pfn,
                    ToString() + " " + field.Name,
                    nameof(RunInGuest),
                    $"the CPU uses {field.Pfn} for {field.Gfn} in guest mode, but the host no longer maps it there");
            }
        }

        return true;
    }

    /// <summary>Leaves guest mode (a VM exit); pending requests wait for the next entry.</summary>
    public void ExitGuest() => Mode = VcpuMode.OutsideGuest;

    /// <summary>A hardware field loaded in guest mode whose frame its guest page no longer maps, if any.</summary>
    public HardwareField? FindStaleHardwareField()
    {
        if (Mode == VcpuMode.OutsideGuest)
        {
            return null;
        }

        foreach (var field in _fields)
        {
            if (field.IsLoaded && !Vm.MapsCurrently(field.Gfn, field.Pfn))
            {
                return field;
            }
        }

        return null;
    }

    // The requests' work before an entry: a TLB flush has nothing left to do in the model; a reload request maps each
    // field it covers again through its PFN cache, or writes INVALID_GPA when nothing backs the frame any more.
    private bool ServiceRequests()
    {
        var requests = PendingRequests;
        PendingRequests = VcpuRequests.None;
        var ok = true;
        foreach (var field in _fields)
        {
            if ((field.ReloadRequest & requests) == 0 || field.Source is not { } cache)
            {
                continue;
            }

            var reload = field.ReloadRequest;
            if (!cache.Refresh() || !cache.LoadInto(field, reload))
            {
                field.Clear();
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>Formats as <c>vm/vcpu0</c>.</summary>
    public override string ToString() => Vm.Name + "/vcpu" + Id;
}
