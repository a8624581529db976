using MmuGuard.Guest;
using MmuGuard.Host;

namespace MmuGuard.Runtime.Tests.Infrastructure;

/// <summary>A VM and the anonymous VMA backing its RAM memslot (gfn 0 onwards).</summary>
public sealed record GuestWithRam(Vm Vm, Vma Ram);
