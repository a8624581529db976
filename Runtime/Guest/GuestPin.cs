using MmuGuard.Physical;

namespace MmuGuard.Guest;

/// <summary>
/// A guest page a VM handed out for pinning, and who holds it, so teardown can name leaks. <paramref name="Referenced"/>
/// is false only for the pre-6.13 policies' reserved and page-less frames, which were accepted with no reference.
/// </summary>
internal readonly record struct GuestPin(Pfn Pfn, string Owner, bool Referenced);
