using System;

namespace MmuGuard;

/// <summary>
/// Marks a parameter whose page reference the method's result names from then on: a page and its page frame number
/// are one reference, so <c>pfn = PageToPfn(page)</c> moves whatever pin <c>page</c> held to <c>pfn</c> (KVM's
/// <c>*pfn = page_to_pfn(page)</c> in <c>hva_to_pfn_fast()</c>). The caller's obligation travels with the result.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class MovesReferenceToResultAttribute : Attribute
{
}
