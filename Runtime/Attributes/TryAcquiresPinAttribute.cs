using System;

namespace MmuGuard;

/// <summary>
/// Marks an operation that pins only when it can (like <c>get_page_unless_zero</c>, or an out-of-band map that
/// refuses pages it cannot pin). The result says whether it pinned: a <see cref="bool"/> result pins exactly when it
/// equals <see cref="SuccessValue"/>; an <see cref="int"/> or enum result (<c>kvm_vcpu_map()</c>'s 0 / -EINVAL /
/// -EFAULT) exactly when it equals the <see cref="SuccessResult"/> set on the attribute; any other result (a pfn) exactly when it is not an
/// error value (<see cref="ErrorValueAttribute"/>, <see cref="ErrorCheckAttribute"/>).
/// </summary>
/// <remarks>
/// On a parameter (including an <c>out</c> parameter) the argument is pinned on success; on an instance method the
/// receiver is. The result must be observed: ignoring it drops the "cannot pin" outcome on the floor.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TryAcquiresPinAttribute : Attribute
{
    /// <summary>Creates the attribute; <paramref name="successValue"/> is the result that means "pinned".</summary>
    public TryAcquiresPinAttribute(bool successValue = true)
    {
        SuccessValue = successValue;
    }

    /// <summary>The <see cref="bool"/> result that means the pin was taken.</summary>
    public bool SuccessValue { get; }

    /// <summary>
    /// For an <see cref="int"/> or enum result, the result that means the pin was taken
    /// (<c>[TryAcquiresPin(SuccessResult = 0)]</c>); only meaningful when set.
    /// </summary>
    public int SuccessResult { get; set; }

    /// <summary>
    /// With <see cref="SuccessResult"/>: no result is above the success value (<c>hva_to_pfn_remapped()</c> returns 0
    /// or -errno, <c>pin_user_pages_fast()</c> of one page 1, 0 or -errno), so ordered tests such as <c>r &lt; 0</c>
    /// or <c>r &gt; 0</c> decide the pin on both edges.
    /// </summary>
    public bool SuccessIsHighest { get; set; }
}
