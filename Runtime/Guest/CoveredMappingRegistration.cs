using MmuGuard.Mapping;

namespace MmuGuard.Guest;

/// <summary>One notifier-covered mapping a VM calls back on invalidation: its owner, the owner's slot and the guest frame.</summary>
internal readonly record struct CoveredMappingRegistration(INotifierCoveredMappingOwner Owner, int Slot, Gfn Gfn);
