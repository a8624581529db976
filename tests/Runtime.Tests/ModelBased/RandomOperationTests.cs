using System;
using CsCheck;
using MmuGuard.Physical;
using Xunit;

namespace MmuGuard.Runtime.Tests.ModelBased;

/// <summary>
/// Random sequences of allocate/free/pin/unpin/fault/zap/map/unmap/refresh against a reference model; each test
/// checks one invariant after every step (or at teardown).
/// </summary>
public sealed class RandomOperationTests
{
    private const int Iterations = 120;

    private static readonly Gen<Operation[]> Runs =
        Gen.Select(Gen.Enum<Step>(), Gen.Int[0, 63], Gen.Int[0, 7], (step, target, extent) => new Operation(step, target, extent)).Array[1, 50];

    [Fact]
    public void Counts_match_the_reference_model_and_never_go_negative()
    {
        Check((host, _) =>
        {
            for (var pfn = 0UL; pfn < (ulong)host.Machine.Memory.PageCount; pfn++)
            {
                Assert.True(host.Machine.Memory.RefCount(new Pfn(pfn)) >= 0);
            }

            foreach (var block in host.Blocks)
            {
                Assert.Equal(host.ExpectedRefCount(block.First), host.Machine.Memory.RefCount(block.First));
            }

            foreach (var map in host.Maps)
            {
                Assert.Equal(host.ExpectedRefCount(map.Access()), host.Machine.Memory.RefCount(map.Access()));
            }
        });
    }

    [Fact]
    public void Nothing_a_mapping_reaches_is_ever_free()
    {
        Check((host, _) =>
        {
            foreach (var entry in host.Vm.Stage2.Entries())
            {
                Assert.False(host.Machine.Memory.HasDescriptor(entry.Pfn) && host.Machine.Memory.IsFree(entry.Pfn));
            }

            foreach (var map in host.Maps)
            {
                Assert.False(host.Machine.Memory.IsFree(map.Access()));
            }
        });
    }

    [Fact]
    public void Every_invalidation_removes_all_stage2_entries_in_its_range()
    {
        Check((host, operation) =>
        {
            var (first, count) = host.LastZap;
            for (var gfn = first.Value; gfn < first.Value + count; gfn++)
            {
                Assert.False(host.Vm.Stage2.TryLookup(new MmuGuard.Guest.Gfn(gfn), out _));
            }
        });
    }

    [Fact]
    public void Correct_use_raises_no_finding()
    {
        Check((host, operation) => Assert.True(host.Machine.Findings.Count == 0, $"{operation}: {string.Join("; ", host.Machine.Findings)}"));
    }

    [Fact]
    public void Pins_balance_and_every_frame_returns_at_teardown()
    {
        Runs.Sample(
            operations =>
            {
                var host = new SimulatedHost();
                host.Run(operations, (_, _) => { });

                host.TearDown();

                Assert.Empty(host.Machine.Findings);
                var zeroPage = host.Machine.Mm.HasZeroPage ? 1 : 0; // the kernel never frees ZERO_PAGE
                Assert.Equal(host.Machine.Memory.PageCount - zeroPage, host.Machine.Memory.FreePageCount);
            },
            iter: Iterations,
            threads: 1);
    }

    private static void Check(Action<SimulatedHost, Operation> invariant) =>
        Runs.Sample(operations => new SimulatedHost().Run(operations, invariant), iter: Iterations, threads: 1);
}
