using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Physical;

namespace MmuGuard.Runtime.Tests.Scenarios;

/// <summary>
/// KVM's PfnMap fault path as it was before the 2024 design, written against the runtime's primitives so the
/// scenarios can replay the CVE and its 2021 fix. The runtime itself only implements the settled design.
/// </summary>
internal static class LegacyKvmFaultPath
{
    /// <summary>
    /// Before the fix: <c>hva_to_pfn_remapped</c> took <c>kvm_get_pfn</c> (an unconditional <c>get_page</c>) on
    /// whatever <c>follow_pte</c> returned, installed it, and released it after the install.
    /// </summary>
    public static FaultResult PinUnconditionally(Vm vm, Gfn gfn)
    {
        var snapshot = vm.SnapshotSequence();
        vm.TryFindMemslot(gfn, out var slot);
        var pfn = vm.AddressSpace.FollowPte(slot!.HostAddressOf(gfn));
        vm.Memory.Pin(pfn);
        var result = Install(vm, gfn, pfn, snapshot);
        vm.Memory.Unpin(pfn);
        return result;
    }

    /// <summary>
    /// The 2021 fix: <c>get_page_unless_zero</c>; a page that is not refcounted fails the fault
    /// (<c>KVM_PFN_ERR_FAULT</c>) with the reason in <paramref name="refusal"/>.
    /// </summary>
    public static FaultResult PinIfRefcounted(Vm vm, Gfn gfn, out PinRefusal refusal)
    {
        var snapshot = vm.SnapshotSequence();
        vm.TryFindMemslot(gfn, out var slot);
        var pfn = vm.AddressSpace.FollowPte(slot!.HostAddressOf(gfn));
        if (!vm.Memory.TryPin(pfn))
        {
            refusal = vm.Memory.HasDescriptor(pfn) ? PinRefusal.NotRefcounted : PinRefusal.NoPageDescriptor;
            return FaultResult.NotPresent;
        }

        refusal = PinRefusal.None;
        var result = Install(vm, gfn, pfn, snapshot);
        vm.Memory.Unpin(pfn);
        return result;
    }

    private static FaultResult Install(Vm vm, Gfn gfn, Pfn pfn, ulong snapshot)
    {
        if (vm.MustRetry(snapshot))
        {
            return FaultResult.Retry;
        }

        vm.Stage2.Install(gfn, pfn);
        return FaultResult.Installed;
    }
}
