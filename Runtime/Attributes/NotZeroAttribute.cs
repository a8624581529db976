using System;

namespace MmuGuard;

/// <summary>
/// Marks a method's return value that is never zero or null (<c>kmap()</c>, which maps a page that has a struct page
/// and never fails). A variable that holds such a result on one side of a merge, where a
/// <see cref="NotRefcountedCheckAttribute"/> or <see cref="TryAcquiresPinAttribute"/> outcome was decided one way, and
/// may be zero on the side where it was decided the other way, carries that correlation: the zero edge of a later
/// <c>hva == 0</c> test proves the outcome took the other side (after a <c>memremap()</c> of a pfn without struct page,
/// which holds no reference). The non-zero edge proves nothing.
/// </summary>
[AttributeUsage(AttributeTargets.ReturnValue, AllowMultiple = false, Inherited = false)]
public sealed class NotZeroAttribute : Attribute
{
}
