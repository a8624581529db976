using System;
using System.Collections.Generic;
using MmuGuard.Guest;
using MmuGuard.Host;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.ModelBased;

/// <summary>
/// A host, a VM with RAM and a driver BAR, and a reference model of what the run owns: blocks and their pins,
/// out-of-band maps, which BAR pages the driver has mapped. Applies random operations the way correct code would.
/// </summary>
internal sealed class SimulatedHost
{
    public const int RamPages = 32;
    public const int BarPages = 8;
    public static readonly Gfn BarGfn = new(64);

    private readonly GuestWithRam _guest;
    private readonly DriverBlock _bar;
    private readonly Vcpu _vcpu;
    private readonly PfnCache _cache;
    private readonly bool[] _barMapped = new bool[BarPages];

    public SimulatedHost()
    {
        Machine = new TestMachine(pages: 512);
        _guest = Machine.CreateGuest(RamPages);
        _bar = Machine.ExposeDriverBlock(_guest.Vm, BarGfn, order: 3);
        Array.Fill(_barMapped, true);
        _vcpu = _guest.Vm.CreateVcpu();
        _cache = new PfnCache(_guest.Vm, _bar.GfnOf(2), "random cache");
    }

    public TestMachine Machine { get; }

    public Vm Vm => _guest.Vm;

    public List<TestBlock> Blocks { get; } = new();

    public List<OutOfBandMap> Maps { get; } = new();

    /// <summary>The guest frames the last zap covered, or an empty range.</summary>
    public (Gfn First, ulong Count) LastZap { get; private set; }

    public void Run(Operation[] operations, Action<SimulatedHost, Operation> afterEach)
    {
        foreach (var operation in operations)
        {
            LastZap = default;
            Apply(operation);
            afterEach(this, operation);
        }
    }

    public void Apply(Operation operation)
    {
        var (step, target, extent) = operation;
        switch (step)
        {
            case Step.AllocateBlock:
                var kind = extent % 2 == 0 ? AllocationKind.Compound : AllocationKind.NonCompound;
                if (Machine.Memory.TryAllocate(target % 3, kind, out var first))
                {
                    Blocks.Add(new TestBlock(first, target % 3, kind));
                }

                break;
            case Step.FreeBlock when Blocks.Count > 0:
                var freed = Blocks[target % Blocks.Count];
                for (; freed.ExtraPins > 0; freed.ExtraPins--)
                {
                    Machine.Memory.Unpin(freed.First);
                }

                Machine.Memory.FreeBlock(freed.First);
                Blocks.Remove(freed);
                break;
            case Step.PinBlock when Blocks.Count > 0:
                var pinned = Blocks[target % Blocks.Count];
                Assert.True(Machine.Memory.TryPin(pinned.First));
                pinned.ExtraPins++;
                if (pinned.Order > 0)
                {
                    // The model: a compound tail counts on its head; a non-compound tail cannot be pinned at all.
                    Assert.Equal(pinned.Kind == AllocationKind.Compound, Machine.Memory.TryPin(pinned.First.Add(1)));
                    pinned.ExtraPins += pinned.Kind == AllocationKind.Compound ? 1 : 0;
                }

                break;
            case Step.UnpinBlock when Blocks.Count > 0:
                var unpinned = Blocks[target % Blocks.Count];
                if (unpinned.ExtraPins > 0)
                {
                    Machine.Memory.Unpin(unpinned.First);
                    unpinned.ExtraPins--;
                }

                break;
            case Step.Access:
                var gfn = PickGfn(target, extent);
                Assert.Equal(ExpectedFault(gfn), Normalise(_vcpu.Access(gfn)));
                break;
            case Step.ZapRam:
                var ramFirst = (ulong)(target % RamPages);
                var ramCount = Math.Min((ulong)extent + 1, RamPages - ramFirst);
                Machine.Mm.ZapRange(_guest.Ram.Start.AddPages(ramFirst), ramCount);
                LastZap = (new Gfn(ramFirst), ramCount);
                break;
            case Step.ZapBar:
                var barFirst = (ulong)(target % BarPages);
                var barCount = Math.Min((ulong)extent + 1, BarPages - barFirst);
                Machine.Mm.ZapRange(_bar.Bar.Start.AddPages(barFirst), barCount);
                for (var i = barFirst; i < barFirst + barCount; i++)
                {
                    _barMapped[i] = false;
                }

                LastZap = (_bar.GfnOf(barFirst), barCount);
                break;
            case Step.RefillBar:
                var page = target % BarPages;
                if (!_barMapped[page])
                {
                    Machine.Mm.InsertPfn(_bar.Bar.Start.AddPages((ulong)page), _bar.PfnOf((ulong)page));
                    _barMapped[page] = true;
                }

                break;
            case Step.MapOutOfBand:
                var mapGfn = PickGfn(target, extent);
                var mapped = Vm.TryMapOutOfBand(mapGfn, "random map " + mapGfn, out var map, out var refusal);
                Assert.Equal(ExpectedRefusal(mapGfn), refusal);
                if (mapped)
                {
                    Maps.Add(map!);
                }

                break;
            case Step.UnmapOutOfBand when Maps.Count > 0:
                var unmapped = Maps[target % Maps.Count];
                unmapped.Unmap(dirty: extent % 2 == 0);
                Maps.Remove(unmapped);
                break;
            case Step.RefreshCache:
                Assert.Equal(_barMapped[2], _cache.Refresh());
                break;
        }
    }

    /// <summary>The clean teardown: every pin released, every mapping dropped, every block freed.</summary>
    public void TearDown()
    {
        foreach (var map in Maps)
        {
            map.Unmap();
        }

        foreach (var block in Blocks)
        {
            for (; block.ExtraPins > 0; block.ExtraPins--)
            {
                Machine.Memory.Unpin(block.First);
            }

            Machine.Memory.FreeBlock(block.First);
        }

        _cache.Deactivate();
        Vm.ZapAll();
        Vm.Destroy();
        _bar.TearDown(Machine.Mm);
        Machine.Mm.Munmap(_guest.Ram.Start, RamPages);
    }

    /// <summary>The count the model expects on <paramref name="pfn"/> from the pins and mappings the run holds.</summary>
    public int ExpectedRefCount(Pfn pfn)
    {
        var expected = 0;
        foreach (var map in Maps)
        {
            expected += map.Access() == pfn ? 1 : 0;
        }

        foreach (var block in Blocks)
        {
            expected += block.First == pfn ? 1 + block.ExtraPins : 0;
        }

        expected += pfn == _bar.First ? 1 : 0;
        for (ulong i = 0; i < RamPages; i++)
        {
            expected += Machine.Mm.TryFollowPte(_guest.Ram.Start.AddPages(i), out var ram) && ram == pfn ? 1 : 0;
        }

        return expected;
    }

    private static FaultResult Normalise(FaultResult result) => result == FaultResult.AlreadyMapped ? FaultResult.Installed : result;

    private Gfn PickGfn(int target, int extent) =>
        extent % 2 == 0 ? new Gfn((ulong)(target % RamPages)) : _bar.GfnOf((ulong)(target % BarPages));

    private FaultResult ExpectedFault(Gfn gfn) =>
        gfn.Value < RamPages || _barMapped[gfn.Value - BarGfn.Value] ? FaultResult.Installed : FaultResult.NotPresent;

    private PinRefusal ExpectedRefusal(Gfn gfn)
    {
        if (gfn.Value < RamPages)
        {
            return PinRefusal.None;
        }

        // Since 6.13 a pinning map of remapped memory is refused before the PTE is even read (hva_to_pfn_remapped).
        return PinRefusal.RemappedMemory;
    }
}
