using System.Threading.Tasks;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>
/// Issue 9 item 1: <c>[NotRefcountedCheck]</c>. A check such as <c>kvm_is_reserved_pfn()</c> (true) or
/// <c>pfn_valid()</c> (false) proves a pfn has no refcounted page: it holds no reference there (an early return owes
/// nothing, a release does nothing), it must not back a pinned out-of-band mapping (MMU0001) nor be pinned
/// (MMU0002), and a flag set under the check carries what it proved. Every rule runs.
/// </summary>
public sealed class NotRefcountedCheckTests
{
    private const string KvmApi = """

        public sealed class Page { }

        public readonly struct KvmPfn
        {
            public KvmPfn(ulong value) { Value = value; }
            public ulong Value { get; }

            /// <summary>kvm_is_reserved_pfn(pfn), as a property.</summary>
            [NotRefcountedCheck]
            public bool IsReserved => Value == 0;
        }

        public static class Kvm
        {
            public const int EFAULT = 14;
            public const int ENOEXEC = 8;

            [ErrorCheck]
            public static bool IsErrorNoSlotPfn(KvmPfn pfn) => false;

            /// <summary>kvm_is_reserved_pfn() / kvm_is_device_pfn().</summary>
            [NotRefcountedCheck]
            public static bool IsReservedPfn(KvmPfn pfn) => false;

            /// <summary>pfn_valid(): false for a pfn without a struct page.</summary>
            [NotRefcountedCheck(false)]
            public static bool PfnValid(KvmPfn pfn) => true;

            /// <summary>gfn_to_pfn() (v6.12): a reference for a refcounted page, none for a device pfn.</summary>
            [return: Pinned]
            public static KvmPfn GfnToPfn(ulong gfn) => default;

            /// <summary>kvm_follow_pfn() (v6.13): the refcounted page is pinned unless the pfn is an error value.</summary>
            [return: Borrowed, MayBeNonRefcounted]
            public static KvmPfn FollowPfn(ulong gfn, [TryAcquiresPin] out Page? page) { page = new Page(); return default; }

            public static void ReleasePfnClean([ReleasesPin] KvmPfn pfn) { }

            public static void ReleasePage([ReleasesPin] Page? page) { }

            public static void GetPfn([AcquiresPin] KvmPfn pfn) { }

            public static void SetPfnDirty([RequiresPin] KvmPfn pfn) { }

            /// <summary>memremap(): a host mapping no MMU notifier reaches.</summary>
            public static ulong Memremap([OutOfBandSink] KvmPfn pfn) => 0;

            public static int Map(KvmPfn pfn) => 0;
        }
        """;

    private static Task VerifyAsync(string source) =>
        Infrastructure.OwnershipRulesVerifier.VerifyAsync("using MmuGuard;\n" + source + KvmApi);

    [Fact]
    public Task Early_return_where_the_pfn_is_reserved_is_not_a_leak() => VerifyAsync("""
        class Arm64
        {
            int Fault(ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EFAULT;
                if (Kvm.IsReservedPfn(pfn)) return -Kvm.ENOEXEC;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Early_return_where_the_pfn_is_refcounted_still_leaks() => VerifyAsync("""
        class Arm64
        {
            int Fault(ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EFAULT;
                if (!Kvm.IsReservedPfn(pfn)) {|MMU0005:return|} -Kvm.ENOEXEC;
                return 0;
            }
        }
        """);

    [Fact]
    public Task Flag_set_under_the_check_carries_it_to_a_later_test() => VerifyAsync("""
        class Arm64
        {
            int UserMemAbort(ulong gfn, bool execFault, bool loggingActive)
            {
                var device = false;
                var writable = true;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EFAULT;
                if (Kvm.IsReservedPfn(pfn))
                {
                    device = true;
                }
                else if (loggingActive)
                {
                    writable = false;
                }

                if (execFault && device)
                {
                    return -Kvm.ENOEXEC;
                }

                var ret = Kvm.Map(pfn);
                if (writable && ret == 0) Kvm.SetPfnDirty(pfn);
                Kvm.ReleasePfnClean(pfn);
                return ret;
            }
        }
        """);

    [Fact]
    public Task Flag_tested_the_other_way_round_leaks_on_the_refcounted_path() => VerifyAsync("""
        class Arm64
        {
            int Fault(ulong gfn)
            {
                var device = false;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EFAULT;
                if (Kvm.IsReservedPfn(pfn)) device = true;
                if (!device) {|MMU0005:return|} 1;
                return 0;
            }
        }
        """);

    [Fact]
    public Task Pfn_without_a_struct_page_mapped_out_of_band_is_reported() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -22;
                if (Kvm.PfnValid(pfn))
                {
                    hva = 1;
                }
                else
                {
                    hva = Kvm.Memremap({|MMU0001:pfn|});
                }

                Kvm.ReleasePfnClean(pfn);
                return hva == 0 ? -Kvm.EFAULT : 0;
            }
        }
        """);

    [Fact]
    public Task Refcounted_pfn_mapped_out_of_band_is_clean() => VerifyAsync("""
        class KvmMain
        {
            ulong Map(ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn) || !Kvm.PfnValid(pfn)) return 0;
                var hva = Kvm.Memremap(pfn);
                Kvm.ReleasePfnClean(pfn);
                return hva;
            }
        }
        """);

    [Fact]
    public Task Pinning_a_reserved_pfn_is_the_unconditional_pin_shape() => VerifyAsync("""
        class Mmu
        {
            void Grab(ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return;
                if (Kvm.IsReservedPfn(pfn))
                {
                    Kvm.GetPfn({|MMU0002:pfn|});
                    Kvm.ReleasePfnClean(pfn);
                    return;
                }

                Kvm.ReleasePfnClean(pfn);
            }
        }
        """);

    [Fact]
    public Task Releasing_and_marking_a_reserved_pfn_are_accepted() => VerifyAsync("""
        class Mmu
        {
            void Done(ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return;
                if (Kvm.IsReservedPfn(pfn))
                {
                    Kvm.SetPfnDirty(pfn);
                }

                Kvm.ReleasePfnClean(pfn);
            }
        }
        """);

    [Fact]
    public Task Check_of_a_try_pin_pfn_result_means_the_out_page_was_not_pinned() => VerifyAsync("""
        class Arm64
        {
            int Fault(ulong gfn, bool execFault)
            {
                var device = false;
                var pfn = Kvm.FollowPfn(gfn, out var page);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EFAULT;
                if (Kvm.IsReservedPfn(pfn)) device = true;
                if (execFault && device) return -Kvm.ENOEXEC;
                Kvm.ReleasePage(page);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Property_check_on_the_receiver_splits_like_the_method() => VerifyAsync("""
        class Mmu
        {
            int Fault(ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EFAULT;
                if (pfn.IsReserved) return -Kvm.ENOEXEC;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Check_in_a_loop_holds_per_iteration() => VerifyAsync("""
        class Mmu
        {
            void Prefetch(ulong[] gfns)
            {
                foreach (var gfn in gfns)
                {
                    var pfn = Kvm.GfnToPfn(gfn);
                    if (Kvm.IsErrorNoSlotPfn(pfn) || Kvm.IsReservedPfn(pfn)) continue;
                    Kvm.Map(pfn);
                    Kvm.ReleasePfnClean(pfn);
                }
            }
        }
        """);

    [Fact]
    public Task Return_through_finally_where_the_pfn_is_reserved_is_not_a_leak() => VerifyAsync("""
        class Mmu
        {
            int Fault(ulong gfn, object mmuLock)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EFAULT;
                try
                {
                    if (Kvm.IsReservedPfn(pfn)) return -Kvm.ENOEXEC;
                    Kvm.Map(pfn);
                }
                finally
                {
                    System.GC.KeepAlive(mmuLock);
                }

                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Checks_in_lambdas_and_local_functions_are_analysed_on_their_own() => VerifyAsync("""
        using System;

        class Mmu
        {
            void Run(ulong gfn)
            {
                Func<int> lambda = () =>
                {
                    var pfn = Kvm.GfnToPfn(gfn);
                    if (Kvm.IsErrorNoSlotPfn(pfn) || Kvm.IsReservedPfn(pfn)) return 0;
                    Kvm.ReleasePfnClean(pfn);
                    return 1;
                };
                lambda();
                Local();

                void Local()
                {
                    var pfn = Kvm.GfnToPfn(gfn);
                    if (Kvm.IsErrorNoSlotPfn(pfn) || Kvm.IsReservedPfn(pfn)) return;
                {|MMU0005:}|}
            }
        }
        """);

    [Fact]
    public Task Pinned_and_may_be_non_refcounted_result_is_taken_as_pinned() => VerifyAsync("""
        class KvmMain
        {
            [return: Pinned, MayBeNonRefcounted]
            static KvmPfn GfnToPfnEither(ulong gfn) => default;

            void Drop(ulong gfn)
            {
                var pfn = GfnToPfnEither(gfn);
                Kvm.Memremap(pfn);
            {|MMU0005:}|}
        }
        """);

    [Fact]
    public Task Unannotated_pfn_tested_by_the_check_stays_unknown() => VerifyAsync("""
        class KvmMain
        {
            ulong Map(KvmPfn pfn) => Kvm.PfnValid(pfn) ? 0 : Kvm.Memremap(pfn);
        }
        """);
}
