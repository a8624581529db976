using System;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// What the body's own lock operations say about the invalidation locks (<c>[InvalidationLock]</c>) at one point,
/// joined as a set over paths. <see cref="None"/> means the body has not taken or dropped any lock yet: it runs
/// with whatever its caller holds, which the analysis does not judge (Clang's <c>REQUIRES</c> is not modelled).
/// </summary>
[Flags]
internal enum LockStatus
{
    None = 0,

    /// <summary>On some path an invalidation lock is held (taken by this body).</summary>
    MayBeHeld = 1 << 0,

    /// <summary>On some path no invalidation lock is held, and the body does its own locking.</summary>
    MayBeFree = 1 << 1,
}
