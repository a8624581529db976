using MmuGuard.Physical;

namespace MmuGuard.Guest;

/// <summary>A pin a VM handed out on a guest page, and who holds it, so teardown can name leaks.</summary>
internal readonly record struct GuestPin(Pfn Pfn, string Owner);
