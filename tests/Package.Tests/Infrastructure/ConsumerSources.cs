namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>Small consumer programs written against the packed package's public API.</summary>
public static class ConsumerSources
{
    /// <summary>An entry point for consumers whose interesting code is elsewhere.</summary>
    public const string EmptyProgram = """
        namespace Consumer;

        internal static class Program
        {
            private static int Main() => 0;
        }
        """;

    /// <summary>The CVE-2021-22543 shape, unsuppressed, under <c>#pragma</c>, and under <c>[SuppressMessage]</c>.</summary>
    public const string PinOfFollowPtePage = """
        using System.Diagnostics.CodeAnalysis;
        using MmuGuard.Host;

        namespace Consumer;

        internal static class FollowPtePins
        {
            public static void Unsuppressed(AddressSpace mm, HostVirtualAddress hva)
            {
                var pfn = mm.FollowPte(hva);
                mm.Memory.Pin(pfn); // expect: MMU0002
                mm.Memory.Unpin(pfn);
            }

            public static void UnderPragma(AddressSpace mm, HostVirtualAddress hva)
            {
                var pfn = mm.FollowPte(hva);
        #pragma warning disable MMU0002 // reviewed: this address space only maps refcounted pages
                mm.Memory.Pin(pfn);
        #pragma warning restore MMU0002
                mm.Memory.Unpin(pfn);
            }

            [SuppressMessage("MmuGuard.Ownership", "MMU0002:Unconditional pin of a possibly non-refcounted page", Justification = "reviewed")]
            public static void UnderSuppressMessage(AddressSpace mm, HostVirtualAddress hva)
            {
                var pfn = mm.FollowPte(hva);
                mm.Memory.Pin(pfn);
                mm.Memory.Unpin(pfn);
            }
        }
        """;

    /// <summary>The CVE-2021-22543 shape alone, for the code fix to repair.</summary>
    public const string UnconditionalPin = """
        using MmuGuard.Host;

        namespace Consumer;

        internal static class FaultPath
        {
            public static void PinBacking(AddressSpace mm, HostVirtualAddress hva)
            {
                var pfn = mm.FollowPte(hva);
                mm.Memory.Pin(pfn); // expect: MMU0002
                mm.Memory.MarkDirty(pfn);
                mm.Memory.Unpin(pfn);
            }
        }
        """;

    /// <summary>A partial owner with one generated out-of-band mapping.</summary>
    public const string ControlBlockOwner = """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Consumer;

        internal sealed partial class NestedPages
        {
            [OutOfBandMapping]
            private Pfn _controlBlock;
        }
        """;

    /// <summary>Maps guest RAM, is refused a driver's non-refcounted page, unmaps; prints each outcome.</summary>
    public const string GeneratedBookkeepingProgram = """
        using System;
        using MmuGuard.Guest;
        using MmuGuard.Host;
        using MmuGuard.Physical;
        using MmuGuard.Sanitizer;

        namespace Consumer;

        internal static class Program
        {
            private static int Main()
            {
                var sanitizer = new MmuSanitizer();
                var memory = new PhysicalMemory(64, sanitizer);
                var mm = new AddressSpace(memory, "consumer");
                var vm = new Vm(mm, "vm");
                var ram = mm.Mmap(4, VmaFlags.Normal, "ram");
                vm.AddMemslot(new Gfn(0), 4, ram.Start);
                var block = memory.Allocate(1, AllocationKind.NonCompound);
                var bar = mm.Mmap(1, VmaFlags.PfnMap, "bar");
                mm.InsertPfn(bar.Start, block.Add(1));
                vm.AddMemslot(new Gfn(0x10), 1, bar.Start);

                var pages = new NestedPages();
                Console.WriteLine("map ram: " + pages.MapControlBlock(vm, new Gfn(1)));
                Console.WriteLine("map bar: " + pages.MapControlBlock(vm, new Gfn(0x10)));
                Console.WriteLine("still mapped: " + pages.IsControlBlockMapped + ", live pins: " + pages.PinLedger.LiveCount);
                Console.WriteLine("unmap: " + pages.UnmapControlBlock());
                Console.WriteLine("live pins: " + pages.PinLedger.LiveCount + ", vm pins: " + vm.LivePinCount);

                mm.Munmap(bar.Start, 1);
                memory.FreeBlock(block);
                vm.Destroy();
                Console.WriteLine("findings: " + sanitizer.Findings.Count);
                return 0;
            }
        }
        """;
}
