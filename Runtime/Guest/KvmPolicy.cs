namespace MmuGuard.Guest;

/// <summary>
/// Which KVM a <see cref="Vm"/> behaves as when it resolves remapped memory (<c>VM_PFNMAP</c>/<c>VM_IO</c>): the
/// same events give the CVE, a clean refusal, or the design that merged in 6.13.
/// </summary>
public enum KvmPolicy
{
    /// <summary>
    /// Linux 6.13 and later ("KVM: Stop grabbing references to PFNMAP'd pages"): only pages GUP returned are
    /// refcounted (<c>kvm_follow_pfn.refcounted_page</c>); stage-2 maps remapped memory with no reference; pinning
    /// callers (<c>kvm_vcpu_map</c>) are refused remapped memory with -EINVAL unless <c>allow_unsafe_mappings</c>;
    /// the GUP reference is released under <c>mmu_lock</c> (<c>kvm_release_faultin_page</c>).
    /// </summary>
    Kvm613,

    /// <summary>
    /// Before CVE-2021-22543 was fixed: <c>hva_to_pfn_remapped</c> takes <c>kvm_get_pfn</c> (an unconditional
    /// <c>get_page</c> unless the PFN is reserved or has no page) on whatever <c>follow_pfn</c> returned, and maps it
    /// writable whatever the PTE says. Replays the use-after-free and the writable bypass.
    /// </summary>
    Pre2021,

    /// <summary>
    /// The 2021 fixes (f8be156be163, bd2fae8da794): <c>kvm_try_get_pfn</c> (<c>get_page_unless_zero</c>; reserved and
    /// page-less PFNs accepted with no reference) and the PTE's write bit honoured (<c>KVM_PFN_ERR_RO_FAULT</c>).
    /// </summary>
    Fix2021,
}
