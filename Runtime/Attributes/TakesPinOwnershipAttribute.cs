using System;

namespace MmuGuard;

/// <summary>
/// Marks a parameter whose callee keeps the pin it is given (stores it in an owning member or hands it to an
/// owner that releases it later). The caller's obligation to release ends at the call.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class TakesPinOwnershipAttribute : Attribute
{
}
