using System.Threading.Tasks;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>
/// Issue 9 item 1: a try-pin's <c>int</c> result whose success value is the highest result
/// (<c>[TryAcquiresPin(SuccessResult = 0, SuccessIsHighest = true)]</c>: <c>hva_to_pfn_remapped()</c> returns 0 or
/// -errno) is decided by ordered tests (<c>r &lt; 0</c>, <c>r &gt;= 0</c>, <c>n &gt; 0</c>), and an <c>[ErrorCheck]</c>
/// on a parameter tests that argument (<c>handle_abnormal_pfn(vcpu, gfn, pfn, &amp;r)</c>). Every rule runs.
/// </summary>
public sealed class OrderedResultAndErrorArgumentTests
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
            /// <summary>hva_to_pfn_remapped() (v6.12): 0 with a referenced pfn, or -errno.</summary>
            public static int Remapped(ulong hva, [TryAcquiresPin(SuccessResult = 0, SuccessIsHighest = true)] out KvmPfn pfn) { pfn = default; return 0; }

            /// <summary>The same contract without the ordering: only == 0 and != 0 decide it.</summary>
            public static int RemappedUnordered(ulong hva, [TryAcquiresPin(SuccessResult = 0)] out KvmPfn pfn) { pfn = default; return 0; }

            /// <summary>pin_user_pages_fast() of one page: 1, 0 or -errno.</summary>
            public static int PinUserPagesFast(ulong hva, int nrPages, [TryAcquiresPin(SuccessResult = 1, SuccessIsHighest = true)] out Page? page) { page = new Page(); return 1; }

            /// <summary>handle_abnormal_pfn(): true for an error pfn, with the fault's result in r.</summary>
            public static bool HandleAbnormalPfn(object vcpu, ulong gfn, [ErrorCheck] KvmPfn pfn, out int r) { r = 0; return false; }

            [return: Pinned]
            public static KvmPfn GfnToPfn(ulong gfn) => default;

            [return: Borrowed, MayBeNonRefcounted]
            public static KvmPfn FollowPfn(ulong gfn, [TryAcquiresPin] out Page? page) { page = new Page(); return default; }

            public static void ReleasePfnClean([ReleasesPin] KvmPfn pfn) { }

            public static void SetPfnDirty([RequiresPin] KvmPfn pfn) { }

            public static void UnpinUserPage([ReleasesPin] Page? page) { }
        }
        """;

    private static Task VerifyAsync(string source) =>
        Infrastructure.OwnershipRulesVerifier.VerifyAsync("using MmuGuard;\n" + source + KvmApi);

    [Fact]
    public Task Negative_result_test_decides_a_success_of_zero() => VerifyAsync("""
        class KvmMain
        {
            [return: Pinned]
            KvmPfn HvaToPfn(ulong hva)
            {
                KvmPfn pfn;
                var r = Kvm.Remapped(hva, out pfn);
                if (r < 0)
                {
                    return default;
                }

                return pfn;
            }
        }
        """);

    [Fact]
    public Task Not_negative_result_owes_the_release() => VerifyAsync("""
        class KvmMain
        {
            int Touch(ulong hva)
            {
                var r = Kvm.Remapped(hva, out var pfn);
                if (r >= 0)
                {
                    Kvm.SetPfnDirty(pfn);
                    {|MMU0005:return|} 0;
                }

                return r;
            }
        }
        """);

    [Fact]
    public Task Ordered_test_without_success_is_highest_proves_only_failure() => VerifyAsync("""
        class KvmMain
        {
            void Touch(ulong hva)
            {
                var r = Kvm.RemappedUnordered(hva, out var pfn);
                if (r < 0)
                {
                    return;
                }

                Kvm.SetPfnDirty({|MMU0008:pfn|});
                Kvm.ReleasePfnClean(pfn);
            }
        }
        """);

    [Fact]
    public Task Positive_count_decides_a_success_of_one() => VerifyAsync("""
        class KvmMain
        {
            bool Fast(ulong hva)
            {
                if (Kvm.PinUserPagesFast(hva, 1, out var page) > 0)
                {
                    Kvm.UnpinUserPage(page);
                    return true;
                }

                return false;
            }
        }
        """);

    [Fact]
    public Task Ordered_results_in_a_loop_are_decided_each_iteration() => VerifyAsync("""
        class KvmMain
        {
            void All(ulong[] hvas)
            {
                foreach (var hva in hvas)
                {
                    var n = Kvm.PinUserPagesFast(hva, 1, out var page);
                    if (n <= 0) continue;
                    Kvm.UnpinUserPage(page);
                }
            }
        }
        """);

    [Fact]
    public Task Ordered_result_in_a_finally_flag_releases_on_success() => VerifyAsync("""
        class KvmMain
        {
            void Touch(ulong hva, bool abort)
            {
                var r = Kvm.Remapped(hva, out var pfn);
                try
                {
                    if (abort) return;
                    if (r >= 0) Kvm.SetPfnDirty(pfn);
                }
                finally
                {
                    if (r >= 0) Kvm.ReleasePfnClean(pfn);
                }
            }
        }
        """);

    [Fact]
    public Task Error_check_on_a_parameter_tests_that_argument() => VerifyAsync("""
        class X86Mmu
        {
            int DirectPageFault(object vcpu, ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.HandleAbnormalPfn(vcpu, gfn, pfn, out var r))
                {
                    return r;
                }

                Kvm.ReleasePfnClean(pfn);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Error_check_on_a_parameter_leaves_the_other_edge_owing() => VerifyAsync("""
        class X86Mmu
        {
            int DirectPageFault(object vcpu, ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.HandleAbnormalPfn(vcpu, gfn, pfn, out var r))
                {
                    return r;
                }

                {|MMU0005:return|} 0;
            }
        }
        """);

    [Fact]
    public Task Error_check_on_a_parameter_decides_a_try_pin_pfn_result() => VerifyAsync("""
        class X86Mmu
        {
            int Fault(object vcpu, ulong gfn)
            {
                var pfn = Kvm.FollowPfn(gfn, out var page);
                if (Kvm.HandleAbnormalPfn(vcpu, gfn, pfn, out var r))
                {
                    return r;
                }

                Kvm.UnpinUserPage(page);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Error_check_on_a_parameter_in_a_local_function_is_analysed_there() => VerifyAsync("""
        class X86Mmu
        {
            void Run(object vcpu, ulong gfn)
            {
                Local();

                void Local()
                {
                    var pfn = Kvm.GfnToPfn(gfn);
                    if (Kvm.HandleAbnormalPfn(vcpu, gfn, pfn, out _)) return;
                {|MMU0005:}|}
            }
        }
        """);
}
