using MmuGuard.Physical;

namespace MmuGuard.Samples.World;

/// <summary>
/// The host pages an L1 hypervisor's vmcs12 asks the host to hand to hardware while L2 runs (KVM's vmcs02): the
/// APIC-access and virtual-APIC pages as pinned out-of-band mappings, the posted-interrupt descriptor as a
/// notifier-covered one. The bookkeeping generator writes the Map/Unmap/Refresh members from these fields.
/// </summary>
internal sealed partial class Vmcs02Pages
{
    [OutOfBandMapping]
    private Pfn _apicAccessPage;

    [OutOfBandMapping]
    private Pfn _virtualApicPage;

    [NotifierCoveredMapping]
    private Pfn _postedInterruptDescriptor;
}
