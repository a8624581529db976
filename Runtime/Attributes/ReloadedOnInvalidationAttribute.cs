using System;

namespace MmuGuard;

/// <summary>
/// Says a hardware field is rewritten after an MMU-notifier invalidation of the page it holds, through a vCPU request:
/// the notifier raises <see cref="Request"/> on every vCPU that may hold the address, kicks them out of guest mode and
/// waits, and each vCPU reloads the field before it enters the guest again (KVM's <c>KVM_REQ_APIC_PAGE_RELOAD</c>).
/// </summary>
/// <remarks>
/// Put it on the <see cref="HardwareFieldSinkAttribute"/> parameter, property or field, or on the method whose
/// hardware-field parameters all reload that way. The analyzers take the declaration on trust, as they take every
/// contract; an empty request name declares nothing.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ReloadedOnInvalidationAttribute : Attribute
{
    /// <summary>Declares the request that reloads the field.</summary>
    /// <param name="request">The vCPU request the invalidation raises, for example <c>"ApicPageReload"</c>.</param>
    public ReloadedOnInvalidationAttribute(string request)
    {
        Request = request;
    }

    /// <summary>The vCPU request the invalidation raises to have the field reloaded.</summary>
    public string Request { get; }
}
