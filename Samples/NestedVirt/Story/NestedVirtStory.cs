using System.Collections.Generic;
using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Samples.World;
using MmuGuard.Sanitizer;

namespace MmuGuard.Samples.NestedVirt.Story;

/// <summary>
/// The demo: a mini-KVM where a GPU driver's non-refcounted page reaches a guest and a nested guest, and every
/// mapping of it is either notifier-covered (fine) or refused (because it would need a pin), as KVM does since Linux
/// 6.13 ("KVM: Stop grabbing references to PFNMAP'd pages"). The sanitizer watches throughout and must stay silent.
/// </summary>
internal sealed class NestedVirtStory
{
    private const int HostFrames = 1024;
    private const ulong GuestRamPages = 16;

    private static readonly Gfn ApicAccessGfn = new(0x5);
    private static readonly Gfn GpuBarGfn = new(0x100);

    private readonly Narrator _narrator;
    private readonly List<MappingOutcome> _outcomes = new();

    public NestedVirtStory(Narrator narrator)
    {
        _narrator = narrator;
    }

    /// <summary>The mappings the story made, for the summary table.</summary>
    public IReadOnlyList<MappingOutcome> Outcomes => _outcomes;

    /// <summary>Runs the story and returns what the sanitizer saw (nothing, when the sim is correct).</summary>
    public IReadOnlyList<Finding> Run()
    {
        var sanitizer = new MmuSanitizer(SanitizerMode.Record);
        sanitizer.FindingReported += finding => _narrator.Say("SANITIZER: " + finding);

        _narrator.Step("Boot: host memory, QEMU's address space, VM L1 with 16 pages of guest RAM");
        var memory = new PhysicalMemory(HostFrames, sanitizer);
        var qemu = new AddressSpace(memory, "qemu");
        var l1 = new Vm(qemu, "L1");
        var vcpu = l1.CreateVcpu();
        var ram = qemu.Mmap(GuestRamPages, VmaFlags.Normal, "guest RAM");
        l1.AddMemslot(new Gfn(0), GuestRamPages, ram.Start);
        _narrator.Say($"{HostFrames} host frames; guest RAM is anonymous memory at {ram.Start}, gfn 0x0..0x{GuestRamPages - 1:x}.");

        var buffer = ExposeGpuBuffer(qemu, l1);
        var barPfn = FaultIntoStage2(vcpu, l1, memory);

        var vmcs02 = new Vmcs02Pages();
        RefuseOutOfBandMap(vmcs02, l1, barPfn);
        var descriptor = LoadDescriptorThroughPfnCache(vcpu, l1, memory);
        MapApicAccessPage(vmcs02, l1, memory);
        TearDownGpuBuffer(buffer, descriptor, l1, memory, barPfn);
        ExitNestedGuest(vmcs02, memory);

        _narrator.Step("Destroy VM L1: teardown zaps stage-2 itself and checks for leaked pins");
        l1.Destroy();
        _narrator.Say($"Stage-2 entries left: {l1.Stage2.Count}; guest pins left: {l1.LivePinCount}; sanitizer findings: {sanitizer.Findings.Count}.");
        return sanitizer.Findings;
    }

    private GpuBuffer ExposeGpuBuffer(AddressSpace qemu, Vm l1)
    {
        _narrator.Step("A TTM-like GPU driver allocates a non-compound block and exposes 4 KiB of it through a PfnMap VMA");
        var buffer = GpuBuffer.Allocate(qemu, "gpu-bo0", order: 2, exposedPage: 2);
        var exposed = buffer.ExposedPfn;
        var memory = qemu.Memory;
        l1.AddMemslot(GpuBarGfn, 1, buffer.UserAddress);
        _narrator.Say($"{buffer}; userspace sees it at {buffer.UserAddress}; memslot maps it at {GpuBarGfn}.");
        _narrator.Say(
            $"{exposed}: descriptor {(memory.HasDescriptor(exposed) ? "yes" : "no")}, refcount {memory.RefCount(exposed)}, "
            + $"refcounted {(memory.IsRefcounted(exposed) ? "yes" : "no")}, driver-owned {(memory.IsDriverOwned(exposed) ? "yes" : "no")}: valid but not refcounted.");
        _narrator.OnFrame(exposed, "allocated", "tail of a non-compound order-2 block: refcount 0, owned by the driver");
        _narrator.OnFrame(exposed, "vmf_insert_pfn", "exposed to userspace through a PfnMap VMA, no reference taken");
        return buffer;
    }

    private Pfn FaultIntoStage2(Vcpu vcpu, Vm l1, PhysicalMemory memory)
    {
        _narrator.Step($"L1's vCPU touches {GpuBarGfn}: the fault path follows the PTE and installs stage-2 without a pin");
        var result = vcpu.Access(GpuBarGfn);
        if (!l1.Stage2.TryLookup(GpuBarGfn, out var pfn))
        {
            throw new System.InvalidOperationException($"The fault on {GpuBarGfn} ended {result} without a stage-2 entry.");
        }

        _narrator.Say($"Fault result: {result}; stage-2 {GpuBarGfn} -> {pfn}; refcount still {memory.RefCount(pfn)}.");
        _narrator.Say("No pin is needed: the VM's MMU notifier zaps this entry whenever the host mapping changes.");
        var mapping = "L1 stage-2 " + GpuBarGfn;
        _narrator.OnFrame(pfn, "stage-2 install", "follow_pte, no reference; notifier-covered");
        _narrator.MappingLive(mapping, "stage-2 entry -> " + pfn);
        _outcomes.Add(new MappingOutcome(mapping, "MMU notifier", $"{GpuBarGfn} -> {pfn}", "no", "zapped when the driver tore the buffer down"));
        return pfn;
    }

    private void RefuseOutOfBandMap(Vmcs02Pages vmcs02, Vm l1, Pfn barPfn)
    {
        _narrator.Step($"Nested entry: L1 points vmcs12's virtual-APIC page at {GpuBarGfn}; vmcs02 needs it out of band");
        var result = vmcs02.MapVirtualApicPage(l1, GpuBarGfn);
        const string Mapping = "vmcs02.VirtualApicPage";
        _narrator.Say($"MapVirtualApicPage({GpuBarGfn}) -> {result}.");
        _narrator.Say("Hardware would use this page behind the notifiers' back, so it needs a pin; remapped (PfnMap) memory cannot be pinned");
        _narrator.Say("in any meaningful sense, so KVM 6.13 refuses it whatever its refcount (hva_to_pfn_remapped: -EINVAL).");
        _narrator.Say("The generated map refused it instead of pinning (the CVE-2021-22543 shape would pin 0 -> 1 here).");
        var fallback = VirtualApicFallback(cr8ExitingWithoutApicVirtualization: false);
        _narrator.Say("What KVM does next (nested_get_vmcs12_pages): " + fallback + ".");
        _narrator.MappingRefused(Mapping, result.ToString());
        _narrator.OnFrame(barPfn, "out-of-band map refused", result.ToString());
        _outcomes.Add(new MappingOutcome(Mapping, "pin (out of band)", $"{GpuBarGfn} -> {barPfn}", "refused", result.Refusal + "; vmcs02 gets INVALID_GPA"));
    }

    // The descriptor's address is a hardware field: the CPU reads it in guest mode behind the notifiers' back, so a
    // cache that only turns invalid would leave the CPU a stale address. The design here is the 2025-2026 nVMX
    // "cache for L1 APIC pages" series: PFN cache plus a reload request that kicks the vCPU out before the page goes.
    private HardwareField LoadDescriptorThroughPfnCache(Vcpu vcpu, Vm l1, PhysicalMemory memory)
    {
        const string Mapping = "vmcs02.PostedInterruptDescriptor";
        _narrator.Step($"The nested guest's posted-interrupt descriptor is at {GpuBarGfn} too: a PFN cache maps it without a pin, vmcs02 takes it with a reload request");
        var cache = new PfnCache(l1, GpuBarGfn, "L1 posted-interrupt descriptor cache");
        var field = vcpu.AddHardwareField(Mapping);
        if (!cache.Refresh() || !cache.LoadInto(field, VcpuRequests.NestedStatePagesReload))
        {
            throw new System.InvalidOperationException($"The PFN cache refresh of {GpuBarGfn} was refused: {cache.LastRefusal}.");
        }

        _narrator.Say($"PfnCache.Refresh() -> mapped {field.Pfn}; refcount still {memory.RefCount(field.Pfn)}; {field} with reload request {field.ReloadRequest}.");
        _narrator.Say("The CPU uses this address in guest mode, out of the notifiers' reach: an invalidation of the cache also makes");
        _narrator.Say("KVM_REQ_GET_NESTED_STATE_PAGES and kicks the vCPU out of guest mode before the host may change the page.");
        var entered = vcpu.EnterGuest();
        _narrator.Say($"Entry to L2: {(entered ? "L2 runs" : "FAILED")}; {vcpu} is {vcpu.Mode} with the descriptor's address loaded.");
        _narrator.MappingLive(Mapping, "hardware field (PFN cache, reload request) -> " + field.Pfn);
        _outcomes.Add(new MappingOutcome(Mapping, "PFN cache + reload request", $"{GpuBarGfn} -> {field.Pfn}", "no", "vCPU kicked out at teardown; reload found no page: INVALID_GPA"));
        return field;
    }

    private void MapApicAccessPage(Vmcs02Pages vmcs02, Vm l1, PhysicalMemory memory)
    {
        _narrator.Step($"The APIC-access page is ordinary guest RAM at {ApicAccessGfn}: mapped out of band with a pin");
        var result = RequireMapped(vmcs02.MapApicAccessPage(l1, ApicAccessGfn), "Mapping the APIC-access page at " + ApicAccessGfn);
        const string Mapping = "vmcs02.ApicAccessPage";

        _narrator.Say($"MapApicAccessPage({ApicAccessGfn}) -> {result}; refcount {memory.RefCount(result.Pfn)} (page table + the mapping's pin).");
        foreach (var pin in vmcs02.PinLedger.LivePins())
        {
            _narrator.Say("ledger: " + pin);
        }

        _narrator.OnFrame(result.Pfn, "pin", "GUP for the out-of-band map: the mapping owns this reference");
        _narrator.MappingLive(Mapping, "out-of-band map -> " + result.Pfn);
        _outcomes.Add(new MappingOutcome(Mapping, "pin (out of band)", $"{ApicAccessGfn} -> {result.Pfn}", "yes", "unmapped at nested exit, pin released"));
    }

    private void TearDownGpuBuffer(GpuBuffer buffer, HardwareField descriptor, Vm l1, PhysicalMemory memory, Pfn barPfn)
    {
        _narrator.Step("The GPU driver tears the buffer down: munmap runs the MMU notifiers, then the block is freed");
        buffer.TearDown();
        _narrator.Say($"Stage-2 entry for {GpuBarGfn}: {(l1.Stage2.TryLookup(GpuBarGfn, out _) ? "STILL THERE" : "zapped")}.");
        var vcpu = descriptor.Vcpu;
        _narrator.Say($"PFN cache valid: {descriptor.Source?.Check() == true}; {vcpu} was kicked out: {vcpu.Mode}, pending {vcpu.PendingRequests}; {barPfn} free in the allocator: {memory.IsFree(barPfn)}.");
        var entered = vcpu.EnterGuest();
        _narrator.Say($"Re-entry to L2 services the reload: nothing backs {GpuBarGfn} any more, so {descriptor}; entry {(entered ? "SUCCEEDED" : "fails")}.");
        _narrator.Say("Nothing points at the freed page any more, the CPU never ran with its address after the kick, and nothing had pinned it: no use-after-free.");
        _narrator.MappingGone("L1 stage-2 " + GpuBarGfn, "zapped by the MMU notifier (munmap)");
        _narrator.MappingGone("vmcs02.PostedInterruptDescriptor", "vCPU kicked out by the invalidation; reload refused (INVALID_GPA)");
        _narrator.OnFrame(barPfn, "freed", "the driver freed the block after the notifiers ran");
    }

    private void ExitNestedGuest(Vmcs02Pages vmcs02, PhysicalMemory memory)
    {
        _narrator.Step("Nested exit: vmcs02's out-of-band mappings are unmapped");
        var pfn = vmcs02.ApicAccessPagePfn;
        var released = vmcs02.UnmapAll();
        _narrator.Say($"UnmapAll released {released} pin(s); ledger live pins: {vmcs02.PinLedger.LiveCount}; {pfn} refcount back to {memory.RefCount(pfn)}.");
        _narrator.MappingGone("vmcs02.ApicAccessPage", "unmapped at nested exit");
        _narrator.OnFrame(pfn, "unpin", "the out-of-band map released its reference");
    }

    /// <summary>
    /// nested_get_vmcs12_pages when the virtual-APIC page cannot be mapped: if L1 exits on every CR8 access and does
    /// not virtualize APIC accesses, the TPR shadow is never used and KVM clears it; otherwise it writes INVALID_GPA
    /// into vmcs02 so the hardware fails the entry to L2. This story's L1 virtualizes APIC accesses (step 6).
    /// </summary>
    private static string VirtualApicFallback(bool cr8ExitingWithoutApicVirtualization) =>
        cr8ExitingWithoutApicVirtualization
            ? "L1 exits on every CR8 access, so the TPR shadow is cleared from vmcs02's controls and L2 runs without it"
            : "L1 also virtualizes APIC accesses, so KVM writes INVALID_GPA to vmcs02's virtual-APIC address and the hardware fails the entry to L2: L1 sees a VM-entry failure, never a page used without a pin";

    /// <summary>The story only goes on along the path it tells; a refusal here means the model changed under it.</summary>
    private static MapResult RequireMapped(MapResult result, string what) =>
        result.IsMapped ? result : throw new System.InvalidOperationException($"{what} was refused: {result.Refusal}.");
}
