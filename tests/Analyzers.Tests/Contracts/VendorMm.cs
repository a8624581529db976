namespace MmuGuard.Analyzers.Tests.Contracts;

/// <summary>
/// A page-table library the user cannot change: no MmuGuard attribute anywhere, so every contract comes from
/// <see cref="Contracts"/>, the file a team adopting MmuGuard would write for it.
/// </summary>
internal static class VendorMm
{
    public const string Source = """
        namespace Vendor.Mm
        {
            public readonly struct Pfn
            {
                public Pfn(ulong value) { Value = value; }
                public ulong Value { get; }
            }

            /// <summary>follow_pte and get_user_pages.</summary>
            public sealed class PageTable
            {
                public Pfn Walk(ulong hva) => new Pfn(hva >> 12);
                public Pfn GetUserPage(ulong hva) => new Pfn(hva >> 12);
            }

            /// <summary>get_page, get_page_unless_zero, put_page, set_page_dirty, kmap.</summary>
            public sealed class Frames
            {
                public void Get(Pfn pfn) { }
                public bool TryGet(Pfn pfn) => true;
                public void Put(Pfn pfn) { }
                public void SetDirty(Pfn pfn) { }
                public ulong Kmap(Pfn pfn) => pfn.Value << 12;
            }

            /// <summary>A vmcs02 field: out of band.</summary>
            public sealed class Vmcs
            {
                public void WriteApicAccess(Pfn pfn) { }
            }

            /// <summary>A spinlock: lock and unlock.</summary>
            public sealed class SpinLock
            {
                public void Lock() { }
                public void Unlock() { }
            }

            /// <summary>The stage-2 table, its mmu_lock and mmu_invalidate_seq/mmu_invalidate_retry.</summary>
            public sealed class Stage2
            {
                public readonly SpinLock MmuLock = new SpinLock();
                public void Install(ulong gfn, Pfn pfn) { }
                public ulong Snapshot() => 0;
                public bool MustRetry(ulong snapshot) => false;
            }
        }
        """;

    public const string Contracts = """
        # Vendor.Mm, described for MmuGuard: the kernel functions each member stands for.
        M:Vendor.Mm.PageTable.Walk(System.UInt64)  return: Borrowed, MayBeNonRefcounted   # follow_pte
        M:Vendor.Mm.PageTable.GetUserPage(System.UInt64)  return: Pinned                   # get_user_pages

        M:Vendor.Mm.Frames.Get(Vendor.Mm.Pfn)  param pfn: AcquiresPin
        M:Vendor.Mm.Frames.TryGet(Vendor.Mm.Pfn)  param pfn: TryAcquiresPin
        M:Vendor.Mm.Frames.Put(Vendor.Mm.Pfn)  param pfn: ReleasesPin
        M:Vendor.Mm.Frames.SetDirty(Vendor.Mm.Pfn)  param pfn: RequiresPin
        M:Vendor.Mm.Frames.Kmap(Vendor.Mm.Pfn)  return: NotZero                              # kmap(): never NULL
        M:Vendor.Mm.Vmcs.WriteApicAccess(Vendor.Mm.Pfn)  param pfn: OutOfBandSink
        M:Vendor.Mm.Stage2.Install(System.UInt64,Vendor.Mm.Pfn)  param pfn: NotifierCoveredSink
        M:Vendor.Mm.Stage2.Snapshot  SnapshotsInvalidationSequence
        M:Vendor.Mm.Stage2.MustRetry(System.UInt64)  ChecksInvalidationRetry
        M:Vendor.Mm.SpinLock.Lock  AcquiresLock
        M:Vendor.Mm.SpinLock.Unlock  ReleasesLock
        F:Vendor.Mm.Stage2.MmuLock  InvalidationLock                                        # kvm->mmu_lock
        """;
}
