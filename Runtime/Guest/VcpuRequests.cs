using System;

namespace MmuGuard.Guest;

/// <summary>Work a vCPU must do before it enters the guest again (<c>vcpu-&gt;requests</c>, <c>KVM_REQ_*</c>).</summary>
[Flags]
public enum VcpuRequests
{
    /// <summary>Nothing pending.</summary>
    None = 0,

    /// <summary><c>KVM_REQ_TLB_FLUSH</c>: stage-2 entries were zapped; cached translations must go.</summary>
    TlbFlush = 1,

    /// <summary><c>KVM_REQ_APIC_PAGE_RELOAD</c>: the APIC-access page's host address must be written again.</summary>
    ApicPageReload = 2,

    /// <summary><c>KVM_REQ_GET_NESTED_STATE_PAGES</c>: vmcs02's page addresses (virtual-APIC, posted-interrupt descriptor) must be mapped again.</summary>
    NestedStatePagesReload = 4,
}
