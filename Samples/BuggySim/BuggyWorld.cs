using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Physical;
using MmuGuard.Samples.World;
using MmuGuard.Sanitizer;

namespace MmuGuard.Samples.BuggySim;

/// <summary>
/// The NestedVirt world, built fresh for each bug so findings never mix: host memory with a recording sanitizer,
/// QEMU's address space, VM L1 with guest RAM, and a GPU buffer whose non-refcounted page sits at <see cref="GpuBarGfn"/>.
/// </summary>
internal sealed class BuggyWorld
{
    public const ulong GuestRamPages = 16;

    public static readonly Gfn GuestRamGfn = new(0x5);
    public static readonly Gfn GpuBarGfn = new(0x100);

    public BuggyWorld()
    {
        Sanitizer = new MmuSanitizer(SanitizerMode.Record);
        Memory = new PhysicalMemory(256, Sanitizer);
        Mm = new AddressSpace(Memory, "qemu");
        Vm = new Vm(Mm, "L1");
        var ram = Mm.Mmap(GuestRamPages, VmaFlags.Normal, "guest RAM");
        Vm.AddMemslot(new Gfn(0), GuestRamPages, ram.Start);
        Buffer = GpuBuffer.Allocate(Mm, "gpu-bo0", order: 2, exposedPage: 2);
        Vm.AddMemslot(GpuBarGfn, 1, Buffer.UserAddress);
        Hardware = new HardwareVmcs02(Memory);
    }

    public MmuSanitizer Sanitizer { get; }

    public PhysicalMemory Memory { get; }

    public AddressSpace Mm { get; }

    public Vm Vm { get; }

    /// <summary>The TTM-like driver's buffer; its exposed page is valid but not refcounted.</summary>
    public GpuBuffer Buffer { get; }

    /// <summary>The physical addresses hardware reads while L2 runs.</summary>
    public HardwareVmcs02 Hardware { get; }
}
