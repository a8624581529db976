using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Realistic;

/// <summary>
/// nVMX's <c>nested_get_vmcs12_pages</c> (arch/x86/kvm/vmx/nested.c): L1's APIC-access page is written into vmcs02 as
/// a host physical address, out of band, where no MMU notifier reaches. Mapping a PFNMAP PFN there without a pin is
/// the "maps a non-refcounted page without notifier coverage" bug; the fix goes through <c>kvm_vcpu_map</c>, which
/// pins the page or refuses it, and fails the nested VM-entry on refusal.
/// </summary>
public sealed class NestedApicAccessPageTests
{
    [Fact]
    public Task Borrowed_pfn_written_to_the_apic_access_address_is_the_only_finding() =>
        Verify.VerifyAsync("""
            using MmuGuard;

            sealed class NestedVmx
            {
                private readonly HostMm _mm;
                private readonly Vmcs02 _vmcs02;

                NestedVmx(HostMm mm, Vmcs02 vmcs02) { _mm = mm; _vmcs02 = vmcs02; }

                bool GetVmcs12Pages(ulong apicAccessHva, bool apicAccessEnabled)
                {
                    if (apicAccessEnabled)
                    {
                        var pfn = _mm.FollowPte(apicAccessHva);
                        _vmcs02.WriteApicAccessAddress({|MMU0001:pfn|});
                    }

                    return true;
                }
            }
            """);

    [Fact]
    public Task Map_that_handles_refusal_and_keeps_the_pin_in_an_owning_field_is_clean() =>
        Verify.VerifyAsync("""
            using MmuGuard;

            sealed class NestedVmx
            {
                private readonly GuestMemory _memory;
                private readonly Vmcs02 _vmcs02;
                private readonly PageRefs _refs;
                [Pinned] private Pfn _apicAccessPage;
                private bool _hasApicAccessPage;

                NestedVmx(GuestMemory memory, Vmcs02 vmcs02, PageRefs refs) { _memory = memory; _vmcs02 = vmcs02; _refs = refs; }

                bool GetVmcs12Pages(ulong apicAccessGfn, bool apicAccessEnabled)
                {
                    if (!apicAccessEnabled)
                    {
                        return true;
                    }

                    if (!_memory.TryPinGuestPage(apicAccessGfn, out var pfn, out var refusal))
                    {
                        // KVM_INTERNAL_ERROR_EMULATION: the page cannot be pinned, so it cannot be mapped out of band.
                        return false;
                    }

                    _vmcs02.WriteApicAccessAddress(pfn);
                    _apicAccessPage = pfn;
                    _hasApicAccessPage = true;
                    return true;
                }

                void ReleaseVmcs12Pages()
                {
                    if (_hasApicAccessPage)
                    {
                        _refs.Unpin(_apicAccessPage);
                        _hasApicAccessPage = false;
                    }
                }
            }
            """);

    [Fact]
    public Task Map_whose_refusal_is_ignored_is_flagged_once_for_the_ignored_result() =>
        Verify.VerifyAsync("""
            sealed class NestedVmx
            {
                bool GetVmcs12Pages(GuestMemory memory, Vmcs02 vmcs02, ulong apicAccessGfn)
                {
                    {|MMU0003:memory.TryPinGuestPage(apicAccessGfn, out var pfn, out _)|};
                    vmcs02.WriteVirtualApicAddress(pfn);
                    return true;
                }
            }
            """);
}
