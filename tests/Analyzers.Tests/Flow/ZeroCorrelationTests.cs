using System.Threading.Tasks;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>
/// Issue 9 item 3: a value correlated with the path that produced it. <c>kmap()</c> is <c>[return: NotZero]</c>, so in
/// v6.12's <c>kvm_vcpu_map()</c> <c>hva</c> is non-zero where <c>pfn_valid()</c> held and may be zero where it did
/// not (<c>memremap()</c>): the zero edge of <c>hva == 0</c> proves the pfn has no refcounted page, so that return owes
/// nothing. The non-zero edge proves nothing. Every rule runs.
/// </summary>
public sealed class ZeroCorrelationTests
{
    private const string KvmApi = """

        public sealed class Page { }

        public readonly struct KvmPfn
        {
            public KvmPfn(ulong value) { Value = value; }
            public ulong Value { get; }
        }

        public static class Kvm
        {
            public const int EFAULT = 14;
            public const int EINVAL = 22;

            [ErrorCheck]
            public static bool IsErrorNoSlotPfn(KvmPfn pfn) => false;

            /// <summary>pfn_valid(): false for a pfn without a struct page.</summary>
            [NotRefcountedCheck(false)]
            public static bool PfnValid(KvmPfn pfn) => true;

            /// <summary>gfn_to_pfn() (v6.12): a reference for a refcounted page, none for a device pfn.</summary>
            [return: Pinned]
            public static KvmPfn GfnToPfn(ulong gfn) => default;

            public static Page PfnToPage(KvmPfn pfn) => new Page();

            /// <summary>follow_pte(): the pfn a PTE maps, no reference taken.</summary>
            [return: Borrowed]
            public static KvmPfn FollowPte(ulong hva) => default;

            /// <summary>kmap(): never NULL.</summary>
            [return: NotZero]
            public static ulong Kmap([RequiresPin] Page page) => 4096;

            /// <summary>kmap() as a user who has not said it never fails would declare it.</summary>
            public static ulong KmapUnannotated([RequiresPin] Page page) => 4096;

            /// <summary>A mapping of a pfn without struct page that never fails either.</summary>
            [return: NotZero]
            public static ulong IoremapNoFail(KvmPfn pfn) => 4096;

            /// <summary>memremap(): NULL on failure.</summary>
            public static ulong Memremap(KvmPfn pfn) => 0;

            [return: NotZero]
            public static object Vmap([RequiresPin] Page page) => new object();

            public static object? VmapPfn(KvmPfn pfn) => null;

            public static ulong Other() => 0;

            public static void Log() { }

            /// <summary>get_page_unless_zero() of the pfn's page.</summary>
            public static bool TryGetPfn([TryAcquiresPin] KvmPfn pfn) => true;

            public static void ReleasePfnClean([ReleasesPin] KvmPfn pfn) { }
        }
        """;

    private static Task VerifyAsync(string source) =>
        Infrastructure.OwnershipRulesVerifier.VerifyAsync("using System;\nusing MmuGuard;\n" + source + KvmApi);

    [Fact]
    public Task Zero_address_after_memremap_of_an_invalid_pfn_owes_nothing() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EINVAL;
                if (Kvm.PfnValid(pfn))
                {
                    var page = Kvm.PfnToPage(pfn);
                    hva = Kvm.Kmap(page);
                }
                else
                {
                    hva = Kvm.Memremap(pfn);
                }

                if (hva == 0) return -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Without_not_zero_on_kmap_the_zero_return_is_a_leak() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EINVAL;
                if (Kvm.PfnValid(pfn))
                {
                    hva = Kvm.KmapUnannotated(Kvm.PfnToPage(pfn));
                }
                else
                {
                    hva = Kvm.Memremap(pfn);
                }

                if (hva == 0) {|MMU0005:return|} -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Zero_tested_with_an_is_pattern_refines_too() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                else hva = Kvm.Memremap(pfn);
                if (hva is 0) return -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task The_false_edge_of_a_not_equal_test_is_the_zero_edge() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                else hva = Kvm.Memremap(pfn);
                if (hva != 0)
                {
                    Kvm.ReleasePfnClean(pfn);
                    return 0;
                }

                return -Kvm.EFAULT;
            }
        }
        """);

    [Fact]
    public Task The_non_zero_edge_proves_nothing() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                else hva = Kvm.Memremap(pfn);
                if (hva != 0) {|MMU0005:return|} 0;
                Kvm.ReleasePfnClean(pfn);
                return -Kvm.EFAULT;
            }
        }
        """);

    [Fact]
    public Task Null_test_of_a_reference_correlated_the_same_way_owes_nothing() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                object? map;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) map = Kvm.Vmap(Kvm.PfnToPage(pfn));
                else map = Kvm.VmapPfn(pfn);
                if (map is null) return -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Equality_with_null_refines_too() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                object? map;
                var pfn = Kvm.GfnToPfn(gfn);
                if (!Kvm.PfnValid(pfn)) map = Kvm.VmapPfn(pfn);
                else map = Kvm.Vmap(Kvm.PfnToPage(pfn));
                if (map == null) return -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task A_value_set_under_an_unrelated_condition_proves_nothing() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn, bool highmem)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (highmem) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                else hva = Kvm.Memremap(pfn);
                if (hva == 0) {|MMU0005:return|} -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task A_value_non_zero_on_both_sides_proves_nothing() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                else hva = Kvm.IoremapNoFail(pfn);
                if (hva == 0) {|MMU0005:return|} -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task A_value_reassigned_after_the_merge_proves_nothing() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                else hva = Kvm.Memremap(pfn);
                hva = Kvm.Other();
                if (hva == 0) {|MMU0005:return|} -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Zero_address_after_a_failed_try_pin_owes_nothing() => VerifyAsync("""
        class KvmMain
        {
            int MapPage(ulong hva)
            {
                var pfn = Kvm.FollowPte(hva);
                ulong va = 0;
                var pinned = Kvm.TryGetPfn(pfn);
                if (pinned) va = Kvm.Kmap(Kvm.PfnToPage(pfn));
                if (va == 0) return -Kvm.EFAULT;
                if (pinned) Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Without_not_zero_the_failed_try_pin_path_is_not_told_apart() => VerifyAsync("""
        class KvmMain
        {
            int MapPage(ulong hva)
            {
                var pfn = Kvm.FollowPte(hva);
                ulong va = 0;
                var pinned = Kvm.TryGetPfn(pfn);
                if (pinned) va = Kvm.KmapUnannotated(Kvm.PfnToPage(pfn));
                if (va == 0) {|MMU0005:return|} -Kvm.EFAULT;
                if (pinned) Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Correlation_holds_in_each_iteration_of_a_loop() => VerifyAsync("""
        class KvmMain
        {
            int MapAll(ulong first, int count)
            {
                for (var i = 0; i < count; i++)
                {
                    ulong hva;
                    var pfn = Kvm.GfnToPfn(first + (ulong)i);
                    if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                    else hva = Kvm.Memremap(pfn);
                    if (hva == 0) return -Kvm.EFAULT;
                    Kvm.ReleasePfnClean(pfn);
                }

                return 0;
            }
        }
        """);

    [Fact]
    public Task A_value_from_the_previous_iteration_proves_nothing_about_a_new_pfn() => VerifyAsync("""
        class KvmMain
        {
            int MapAll(ulong first, int count)
            {
                ulong hva = 1;
                for (var i = 0; i < count; i++)
                {
                    var pfn = Kvm.GfnToPfn(first + (ulong)i);
                    if (hva == 0) {|MMU0005:return|} -Kvm.EFAULT;
                    if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                    else hva = Kvm.Memremap(pfn);
                    Kvm.ReleasePfnClean(pfn);
                }

                return 0;
            }
        }
        """);

    [Fact]
    public Task Correlation_holds_inside_try_finally() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                try
                {
                    ulong hva;
                    var pfn = Kvm.GfnToPfn(gfn);
                    if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                    else hva = Kvm.Memremap(pfn);
                    if (hva == 0) return -Kvm.EFAULT;
                    Kvm.ReleasePfnClean(pfn);
                    return 0;
                }
                finally
                {
                    Kvm.Log();
                }
            }
        }
        """);

    [Fact]
    public Task An_early_return_on_one_side_leaves_the_correlation_of_the_others() => VerifyAsync("""
        class KvmMain
        {
            int MapGfn(ulong gfn, bool atomic)
            {
                ulong hva = 0;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return -Kvm.EINVAL;
                if (Kvm.PfnValid(pfn))
                {
                    var page = Kvm.PfnToPage(pfn);
                    if (atomic) hva = Kvm.Kmap(page);
                    else hva = Kvm.Kmap(page);
                }
                else if (!atomic)
                {
                    hva = Kvm.Memremap(pfn);
                }
                else
                {
                    return -Kvm.EINVAL;
                }

                if (hva == 0) return -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Correlation_holds_in_lambdas_and_local_functions() => VerifyAsync("""
        class KvmMain
        {
            int Run(ulong gfn)
            {
                Func<ulong, int> lambda = g =>
                {
                    ulong hva;
                    var pfn = Kvm.GfnToPfn(g);
                    if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                    else hva = Kvm.Memremap(pfn);
                    if (hva == 0) return -Kvm.EFAULT;
                    Kvm.ReleasePfnClean(pfn);
                    return 0;
                };

                int Local(ulong g)
                {
                    ulong hva;
                    var pfn = Kvm.GfnToPfn(g);
                    if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                    else hva = Kvm.Memremap(pfn);
                    if (hva == 0) return -Kvm.EFAULT;
                    Kvm.ReleasePfnClean(pfn);
                    return 0;
                }

                return lambda(gfn) + Local(gfn);
            }
        }
        """);

    [Fact]
    public Task A_leak_on_the_non_zero_side_in_a_local_function_is_still_found() => VerifyAsync("""
        class KvmMain
        {
            int Run(ulong gfn)
            {
                int Local(ulong g)
                {
                    ulong hva;
                    var pfn = Kvm.GfnToPfn(g);
                    if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                    else hva = Kvm.Memremap(pfn);
                    if (hva == 0) return -Kvm.EFAULT;
                    {|MMU0005:return|} 0;
                }

                return Local(gfn);
            }
        }
        """);

    [Fact]
    public Task The_else_edge_of_an_is_not_null_test_is_the_null_edge() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                object? map;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) map = Kvm.Vmap(Kvm.PfnToPage(pfn));
                else map = Kvm.VmapPfn(pfn);
                if (map is not null)
                {
                    Kvm.ReleasePfnClean(pfn);
                    return 0;
                }

                return -Kvm.EFAULT;
            }
        }
        """);

    [Fact]
    public Task A_copy_of_the_correlated_value_is_not_followed() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                else hva = Kvm.Memremap(pfn);
                var copy = hva;
                if (copy == 0) {|MMU0005:return|} -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task A_non_zero_result_through_a_conditional_expression_is_not_followed() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn, bool atomic)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) hva = atomic ? Kvm.Kmap(Kvm.PfnToPage(pfn)) : Kvm.Kmap(Kvm.PfnToPage(pfn));
                else hva = Kvm.Memremap(pfn);
                if (hva == 0) {|MMU0005:return|} -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Writing_the_pfn_again_ends_the_correlation() => VerifyAsync("""
        class KvmMain
        {
            int VcpuMap(ulong gfn)
            {
                ulong hva;
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.PfnValid(pfn)) hva = Kvm.Kmap(Kvm.PfnToPage(pfn));
                else hva = Kvm.Memremap(pfn);
                Kvm.ReleasePfnClean(pfn);
                pfn = Kvm.GfnToPfn(gfn + 1);
                if (hva == 0) {|MMU0005:return|} -Kvm.EFAULT;
                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);
}
