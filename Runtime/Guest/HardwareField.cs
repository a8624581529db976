using MmuGuard.Physical;

namespace MmuGuard.Guest;

/// <summary>
/// A host physical address the CPU itself consumes while its vCPU is in guest mode (a vmcs02 field such as the
/// posted-interrupt descriptor or the APIC-access page). No MMU notifier reaches it: it is safe only while it holds a
/// pinned frame, or while an invalidation of its frame kicks the vCPU out with a reload request before the host
/// changes the page (<see cref="PfnCache.LoadInto"/>).
/// </summary>
public sealed class HardwareField
{
    internal HardwareField(Vcpu vcpu, string name)
    {
        Vcpu = vcpu;
        Name = name;
    }

    /// <summary>The vCPU whose hardware consumes the field.</summary>
    public Vcpu Vcpu { get; }

    /// <summary>What the field is, as reports name it (<c>vmcs02.PostedInterruptDescriptor</c>).</summary>
    public string Name { get; }

    /// <summary>The guest frame the address was resolved from; meaningful while <see cref="IsLoaded"/>.</summary>
    public Gfn Gfn { get; private set; }

    /// <summary>The host frame the CPU uses; meaningful while <see cref="IsLoaded"/>.</summary>
    public Pfn Pfn { get; private set; }

    /// <summary>Whether the field holds an address (otherwise it holds <c>INVALID_GPA</c> and VM entry fails on use).</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>The request an invalidation of the field's frame raises, or <see cref="VcpuRequests.None"/> for a field loaded raw.</summary>
    public VcpuRequests ReloadRequest { get; private set; }

    /// <summary>The PFN cache the field is reloaded from, when it was loaded through one.</summary>
    public PfnCache? Source { get; private set; }

    /// <summary>
    /// Writes <paramref name="pfn"/> (resolved from <paramref name="gfn"/>) into the field with no reload request:
    /// safe only for a frame the caller keeps pinned for as long as the field holds it.
    /// </summary>
    public void Load(Gfn gfn, Pfn pfn) => Set(gfn, pfn, VcpuRequests.None, source: null);

    /// <summary>Writes <c>INVALID_GPA</c>: the field names no frame.</summary>
    public void Clear()
    {
        Source?.Forget(this);
        IsLoaded = false;
        Source = null;
        ReloadRequest = VcpuRequests.None;
    }

    /// <summary>Formats as <c>vm/vcpu0 vmcs02.X = pfn 0x..</c>.</summary>
    public override string ToString() => $"{Vcpu} {Name} = " + (IsLoaded ? Pfn.ToString() : "INVALID_GPA");

    internal void Set(Gfn gfn, Pfn pfn, VcpuRequests reload, PfnCache? source)
    {
        if (Source is { } previous && !ReferenceEquals(previous, source))
        {
            previous.Forget(this);
        }

        Gfn = gfn;
        Pfn = pfn;
        IsLoaded = true;
        ReloadRequest = reload;
        Source = source;
    }
}
