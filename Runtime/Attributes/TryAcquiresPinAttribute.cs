using System;

namespace MmuGuard;

/// <summary>
/// Marks an operation that pins only when it can (like <c>get_page_unless_zero</c>, or an out-of-band map that
/// refuses pages it cannot pin). The method returns <see cref="bool"/>; the pin is held exactly when the result
/// equals <see cref="SuccessValue"/>.
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
}
