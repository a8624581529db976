using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Contracts.ContractsFileTest;

namespace MmuGuard.Analyzers.Tests.Contracts;

/// <summary>The ownership rules judge calls to a library whose contracts come only from MmuGuard.Contracts.txt.</summary>
public sealed class FileContractRuleTests
{
    [Fact]
    public Task Borrowed_pfn_from_a_file_contract_written_out_of_band_is_MMU0001() =>
        Verify.VerifyAsync("""
            using Vendor.Mm;
            class Nested
            {
                void Setup(PageTable table, Vmcs vmcs, ulong hva)
                {
                    var pfn = table.Walk(hva);
                    vmcs.WriteApicAccess({|MMU0001:pfn|});
                }
            }
            """);

    [Fact]
    public Task Unconditional_pin_of_a_file_contract_maybe_non_refcounted_page_is_MMU0002() =>
        Verify.VerifyAsync("""
            using Vendor.Mm;
            class Fault
            {
                void Resolve(PageTable table, Frames frames, ulong hva)
                {
                    var pfn = table.Walk(hva);
                    frames.Get({|MMU0002:pfn|});
                    frames.Put(pfn);
                }
            }
            """);

    [Fact]
    public Task Install_without_the_file_contract_snapshot_is_MMU0004() =>
        Verify.VerifyAsync("""
            using Vendor.Mm;
            class Fault
            {
                void Handle(PageTable table, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var pfn = table.Walk(hva);
                    stage2.Install(gfn, {|MMU0004:pfn|});
                }
            }
            """);

    [Fact]
    public Task Install_after_the_file_contract_lock_was_dropped_is_MMU0004() =>
        Verify.VerifyAsync("""
            using Vendor.Mm;
            class Fault
            {
                void Handle(PageTable table, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = stage2.Snapshot();
                    var pfn = table.Walk(hva);
                    stage2.MmuLock.Lock();
                    if (stage2.MustRetry(seq))
                    {
                        stage2.MmuLock.Unlock();
                        return;
                    }

                    stage2.MmuLock.Unlock();
                    stage2.Install(gfn, {|MMU0004:pfn|});
                }
            }
            """);

    [Fact]
    public Task File_contract_not_zero_proves_the_zero_address_came_from_a_failed_try_pin() =>
        Verify.VerifyAsync("""
            using Vendor.Mm;
            class Highmem
            {
                int Map(PageTable table, Frames frames, ulong hva)
                {
                    var pfn = table.Walk(hva);
                    ulong va = 0;
                    var pinned = frames.TryGet(pfn);
                    if (pinned) va = frames.Kmap(pfn);
                    if (va == 0) return -14;
                    if (pinned) frames.Put(pfn);
                    return 0;
                }
            }
            """);

    [Fact]
    public Task File_contract_pin_never_released_is_MMU0005() =>
        Verify.VerifyAsync("""
            using Vendor.Mm;
            class Fault
            {
                void Resolve(PageTable table, Frames frames, ulong hva)
                {
                    var pfn = table.GetUserPage(hva);
                    frames.SetDirty(pfn);
                {|MMU0005:}|}
            }
            """);

    [Fact]
    public Task Use_after_a_file_contract_release_is_MMU0006() =>
        Verify.VerifyAsync("""
            using Vendor.Mm;
            class Fault
            {
                void Resolve(PageTable table, Frames frames, ulong hva)
                {
                    var pfn = table.GetUserPage(hva);
                    frames.Put(pfn);
                    frames.SetDirty({|MMU0006:pfn|});
                }
            }
            """);

    [Fact]
    public Task Code_that_keeps_every_file_contract_is_clean() =>
        Verify.VerifyAsync("""
            using Vendor.Mm;
            class Fault
            {
                bool Handle(PageTable table, Frames frames, Vmcs vmcs, Stage2 stage2, ulong gfn, ulong hva)
                {
                    var seq = stage2.Snapshot();
                    var pfn = table.Walk(hva);
                    if (stage2.MustRetry(seq))
                    {
                        return false;
                    }

                    stage2.Install(gfn, pfn);
                    var apic = table.Walk(hva + 4096);
                    if (!frames.TryGet(apic))
                    {
                        return false;
                    }

                    vmcs.WriteApicAccess(apic);
                    frames.Put(apic);
                    return true;
                }
            }
            """);

    [Fact]
    public Task Without_the_contracts_file_the_same_library_is_unchecked()
    {
        var test = new ContractsFileTest("# no contracts");
        test.TestState.Sources.Add("""
            using Vendor.Mm;
            class Fault
            {
                void Resolve(PageTable table, Frames frames, ulong hva)
                {
                    var pfn = table.GetUserPage(hva);
                    frames.SetDirty(pfn);
                }
            }
            """);
        test.TestState.Sources.Add(VendorMm.Source);
        return test.RunAsync();
    }
}
