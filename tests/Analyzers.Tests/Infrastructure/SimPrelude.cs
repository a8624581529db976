namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// A small annotated sim API (KVM names in C#) compiled beside rule tests, so each test shows only the body under
/// judgement. Every member carries the contract its kernel original has.
/// </summary>
internal static class SimPrelude
{
    public const string Source = """
        using System;
        using MmuGuard;

        public readonly struct Pfn
        {
            public Pfn(ulong value) { Value = value; }
            public ulong Value { get; }
        }

        public enum FaultResult { Installed, Retry, Refused }

        /// <summary>The host address space: GUP pins, follow-pte borrows.</summary>
        public sealed class HostMm
        {
            [return: Pinned]
            public Pfn GetUserPages(ulong hva) => new Pfn(hva >> 12);

            [return: Borrowed, MayBeNonRefcounted]
            public Pfn FollowPte(ulong hva) => new Pfn(hva >> 12);

            public bool TryFollowPte(ulong hva, [Borrowed, MayBeNonRefcounted] out Pfn pfn) { pfn = new Pfn(hva >> 12); return true; }

            [return: MayBeNonRefcounted]
            public Pfn DriverPage(int index) => new Pfn((ulong)index);

            public Pfn Unannotated(ulong hva) => new Pfn(hva);
        }

        /// <summary>Page references: get_page, get_page_unless_zero, put_page, set_page_dirty.</summary>
        public sealed class PageRefs
        {
            public void Pin([AcquiresPin] Pfn pfn) { }
            public bool TryPin([TryAcquiresPin] Pfn pfn) => true;
            public bool FailedToPin([TryAcquiresPin(false)] Pfn pfn) => false;
            public void Unpin([ReleasesPin] Pfn pfn) { }
            public void MarkDirty([RequiresPin] Pfn pfn) { }
            public void MarkAccessed([RequiresPin] Pfn pfn) { }
            public void Adopt([TakesPinOwnership] Pfn pfn) { _adopted = pfn; }
            [Pinned] private Pfn _adopted;
            public void Log(Pfn pfn) { }
        }

        /// <summary>vmcs02 fields written with host PFNs: out of band, never reached by notifiers.</summary>
        public sealed class Vmcs02
        {
            public void WriteApicAccessAddress([OutOfBandSink] Pfn pfn) { }
            public void WriteVirtualApicAddress([OutOfBandSink, TakesPinOwnership] Pfn pfn) { _virtualApicPage = pfn; }
            [Pinned] private Pfn _virtualApicPage;
        }

        /// <summary>The stage-2 table: notifier covered.</summary>
        public sealed class Stage2
        {
            public void Install(ulong gfn, [NotifierCoveredSink] Pfn pfn) { }
        }

        /// <summary>mmu_invalidate_seq and mmu_invalidate_retry.</summary>
        public sealed class Notifier
        {
            [SnapshotsInvalidationSequence]
            public ulong SnapshotSequence() => 0;

            [ChecksInvalidationRetry]
            public bool MustRetry(ulong snapshot) => false;
        }

        /// <summary>A pinned out-of-band mapping (kvm_host_map).</summary>
        public sealed class MappedPage : IDisposable
        {
            [RequiresPin]
            public ulong ReadQword(int offset) => 0;

            public ulong FirstQword { [RequiresPin] get => 0; }

            [ReleasesPin]
            public void Unmap() { }

            [ReleasesPin]
            public void Dispose() { }
        }

        /// <summary>kvm_vcpu_map and friends.</summary>
        public sealed class GuestMemory
        {
            public bool TryMap(ulong gfn, [TryAcquiresPin] out MappedPage page) { page = new MappedPage(); return true; }

            public bool TryPinGuestPage(ulong gfn, [TryAcquiresPin] out Pfn pfn, out int refusal) { pfn = default; refusal = 0; return true; }

            [return: Pinned]
            public MappedPage Map(ulong gfn) => new MappedPage();
        }
        """;
}
