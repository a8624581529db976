using System;

namespace MmuGuard;

/// <summary>
/// Marks a static field or property holding an error value of its type (<c>KVM_PFN_ERR_FAULT</c>,
/// <c>KVM_PFN_ERR_HWPOISON</c>): an error value holds no pin, so a value compared equal to it holds none on that edge,
/// and a <see cref="TryAcquiresPinAttribute"/> call whose result it is did not pin.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ErrorValueAttribute : Attribute
{
}
