using System.Threading.Tasks;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>
/// Issue 9 item 1: ownership that depends on a value. A null or error value holds no pin; a try-pin's <c>int</c>
/// result pins exactly on its success value, and a try-pin whose result is a pfn pins exactly when the result is
/// not an error value. Every rule runs, so each test shows the complete set of findings.
/// </summary>
public sealed class ValueDependentOwnershipTests
{
    /// <summary>The KVM shapes under test, beside the sim prelude.</summary>
    private const string KvmApi = """

        public sealed class Page { }

        /// <summary>kvm_pfn_t, compared with KVM's error values.</summary>
        public readonly struct KvmPfn
        {
            public KvmPfn(ulong value) { Value = value; }
            public ulong Value { get; }
            public static bool operator ==(KvmPfn left, KvmPfn right) => left.Value == right.Value;
            public static bool operator !=(KvmPfn left, KvmPfn right) => left.Value != right.Value;
            public override bool Equals(object? obj) => obj is KvmPfn other && other == this;
            public override int GetHashCode() => Value.GetHashCode();
        }

        public static class Kvm
        {
            public const int EINVAL = 22;
            public const int EFAULT = 14;

            /// <summary>kvm_vcpu_map(): 0 on success, -EINVAL or -EFAULT otherwise.</summary>
            public static int VcpuMap(ulong gfn, [TryAcquiresPin(SuccessResult = 0)] out MappedPage map) { map = new MappedPage(); return 0; }

            /// <summary>kvm_vcpu_gpa_to_page(): a referenced page, or NULL.</summary>
            [return: Pinned]
            public static Page? GpaToPage(ulong gpa) => new Page();

            /// <summary>kvm_release_page_clean(), NULL-safe.</summary>
            public static void ReleasePage([ReleasesPin] Page? page) { }

            /// <summary>kvm_follow_pfn(): the refcounted page is pinned unless the pfn is an error value.</summary>
            public static KvmPfn FollowPfn(ulong gfn, [TryAcquiresPin] out Page? page) { page = new Page(); return default; }

            public static KvmPfn FollowPfnFlags(ulong gfn, int flags, [TryAcquiresPin] out Page? page) { page = new Page(); return default; }

            /// <summary>is_error_noslot_pfn().</summary>
            [ErrorCheck]
            public static bool IsErrorNoSlotPfn(KvmPfn pfn) => false;

            /// <summary>KVM_PFN_ERR_FAULT.</summary>
            [ErrorValue]
            public static KvmPfn ErrFault => default;

            /// <summary>gfn_to_pfn(): a referenced pfn, or an error value.</summary>
            [return: Pinned]
            public static KvmPfn GfnToPfn(ulong gfn) => default;

            /// <summary>kvm_release_pfn_clean().</summary>
            public static void ReleasePfnClean([ReleasesPin] KvmPfn pfn) { }
        }
        """;

    private static Task VerifyAsync(string source) =>
        Infrastructure.OwnershipRulesVerifier.VerifyAsync("using MmuGuard;\n" + source + KvmApi);

    [Fact]
    public Task Early_return_on_an_is_null_test_is_not_a_leak() => VerifyAsync("""
        class Vmx
        {
            int Load(ulong gpa)
            {
                var page = Kvm.GpaToPage(gpa);
                if (page is null)
                {
                    return -Kvm.EFAULT;
                }

                Kvm.ReleasePage(page);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Early_return_on_an_equals_null_test_is_not_a_leak() => VerifyAsync("""
        class Vmx
        {
            int Load(ulong gpa)
            {
                var page = Kvm.GpaToPage(gpa);
                if (page == null) return -Kvm.EFAULT;
                Kvm.ReleasePage(page);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Release_under_a_not_null_test_is_clean() => VerifyAsync("""
        class Vmx
        {
            void NotEquals(ulong gpa)
            {
                var page = Kvm.GpaToPage(gpa);
                if (page != null) Kvm.ReleasePage(page);
            }

            void IsNotNull(ulong gpa)
            {
                var page = Kvm.GpaToPage(gpa);
                if (page is not null) Kvm.ReleasePage(page);
            }

            void IsEmptyPropertyPattern(ulong gpa)
            {
                var page = Kvm.GpaToPage(gpa);
                if (page is { }) Kvm.ReleasePage(page);
            }
        }
        """);

    [Fact]
    public Task Non_null_page_never_released_is_still_a_leak() => VerifyAsync("""
        class Vmx
        {
            int Load(ulong gpa)
            {
                var page = Kvm.GpaToPage(gpa);
                if (page is null)
                {
                    return -Kvm.EFAULT;
                }

                {|MMU0005:return|} 0;
            }
        }
        """);

    [Fact]
    public Task Int_result_tested_against_its_success_value_pins_on_that_edge_only() => VerifyAsync("""
        class Svm
        {
            ulong Read(ulong gfn)
            {
                if (Kvm.VcpuMap(gfn, out var map) != 0)
                {
                    return 0;
                }

                var value = map.ReadQword(0);
                map.Unmap();
                return value;
            }
        }
        """);

    [Fact]
    public Task Int_result_kept_in_a_local_and_tested_later_pins_on_success() => VerifyAsync("""
        class Svm
        {
            int Read(ulong gfn)
            {
                var rc = Kvm.VcpuMap(gfn, out var map);
                if (rc != 0)
                {
                    return rc;
                }

                map.ReadQword(0);
                map.Unmap();
                return 0;
            }
        }
        """);

    [Fact]
    public Task Int_result_tested_against_one_error_value_may_still_have_failed() => VerifyAsync("""
        class Svm
        {
            void Enter(ulong gfn)
            {
                var rc = Kvm.VcpuMap(gfn, out var map);
                if (rc == -Kvm.EINVAL)
                {
                    return;
                }

                {|MMU0008:map|}.ReadQword(0);
                map.Unmap();
            }
        }
        """);

    [Fact]
    public Task Int_result_mapped_and_never_unmapped_is_a_leak() => VerifyAsync("""
        class Svm
        {
            int Read(ulong gfn)
            {
                if (Kvm.VcpuMap(gfn, out var map) != 0)
                {
                    return 1;
                }

                map.ReadQword(0);
                {|MMU0005:return|} 0;
            }
        }
        """);

    [Fact]
    public Task Discarded_int_result_is_an_ignored_refusal() => VerifyAsync("""
        class Svm
        {
            void Read(ulong gfn)
            {
                {|MMU0003:Kvm.VcpuMap(gfn, out var map)|};
                map.ReadQword(0);
                map.Unmap();
            }
        }
        """);

    [Fact]
    public Task Int_result_flag_in_finally_releases_exactly_on_success() => VerifyAsync("""
        class Svm
        {
            void Read(ulong gfn, bool abort)
            {
                var rc = Kvm.VcpuMap(gfn, out var map);
                try
                {
                    if (abort) return;
                    if (rc == 0) map.ReadQword(0);
                }
                finally
                {
                    if (rc == 0) map.Unmap();
                }
            }
        }
        """);

    [Fact]
    public Task Int_result_in_a_loop_is_released_each_iteration() => VerifyAsync("""
        class Svm
        {
            void ReadAll(ulong[] gfns)
            {
                foreach (var gfn in gfns)
                {
                    if (Kvm.VcpuMap(gfn, out var map) != 0)
                    {
                        continue;
                    }

                    map.ReadQword(0);
                    map.Unmap();
                }
            }
        }
        """);

    [Fact]
    public Task Int_results_in_lambdas_and_local_functions_are_analysed_on_their_own() => VerifyAsync("""
        using System;

        class Svm
        {
            void Run(ulong gfn)
            {
                Func<int> lambda = () =>
                {
                    var rc = Kvm.VcpuMap(gfn, out var map);
                    if (rc != 0) return rc;
                    map.Unmap();
                    return 0;
                };
                lambda();
                Local();

                void Local()
                {
                    if (Kvm.VcpuMap(gfn, out var map) != 0) return;
                {|MMU0005:}|}
            }
        }
        """);

    [Fact]
    public Task Error_check_of_the_result_decides_the_out_page() => VerifyAsync("""
        class Mmu
        {
            int Fault(ulong gfn)
            {
                var pfn = Kvm.FollowPfn(gfn, out var page);
                if (Kvm.IsErrorNoSlotPfn(pfn))
                {
                    return -Kvm.EFAULT;
                }

                Kvm.ReleasePage(page);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Out_page_not_released_after_a_successful_result_is_a_leak() => VerifyAsync("""
        class Mmu
        {
            int Fault(ulong gfn)
            {
                var pfn = Kvm.FollowPfn(gfn, out var page);
                if (Kvm.IsErrorNoSlotPfn(pfn))
                {
                    return -Kvm.EFAULT;
                }

                {|MMU0005:return|} 0;
            }
        }
        """);

    [Fact]
    public Task Comparison_with_an_error_value_drops_the_pin_on_the_equal_edge() => VerifyAsync("""
        class Mmu
        {
            void Fault(ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (pfn == Kvm.ErrFault)
                {
                    return;
                }

                Kvm.ReleasePfnClean(pfn);
            }
        }
        """);

    [Fact]
    public Task Error_check_of_a_pinned_pfn_drops_the_pin_on_the_error_edge() => VerifyAsync("""
        class Mmu
        {
            void Fault(ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return;
                Kvm.ReleasePfnClean(pfn);
            }
        }
        """);

    [Fact]
    public Task Pinned_pfn_not_released_after_the_error_check_is_a_leak() => VerifyAsync("""
        class Mmu
        {
            void Fault(ulong gfn)
            {
                var pfn = Kvm.GfnToPfn(gfn);
                if (Kvm.IsErrorNoSlotPfn(pfn)) return;
            {|MMU0005:}|}
        }
        """);

    [Fact]
    public Task Result_assigned_past_a_conditional_argument_keeps_its_outcome_in_a_retry_loop() => VerifyAsync("""
        class Mmu
        {
            int Fault(ulong gfn, bool write, bool retry)
            {
                int err;
                KvmPfn pfn;
                Page? page;
            Retry:
                pfn = Kvm.FollowPfnFlags(gfn, write ? 1 : 0, out page);
                if (Kvm.IsErrorNoSlotPfn(pfn))
                {
                    err = -Kvm.EFAULT;
                    goto Out;
                }

                if (retry)
                {
                    Kvm.ReleasePage(page);
                    goto Retry;
                }

                err = 0;
                Kvm.ReleasePage(page);
            Out:
                return err;
            }
        }
        """);

    [Fact]
    public Task Pending_out_page_stored_into_an_owning_member_is_handed_over() => VerifyAsync("""
        class Fault
        {
            [Pinned] public Page? RefcountedPage;
            public KvmPfn Pfn;

            void Faultin(ulong gfn)
            {
                Pfn = Kvm.FollowPfn(gfn, out var page);
                RefcountedPage = page;
            }
        }
        """);

    [Fact]
    public Task New_test_shapes_are_walked_without_throwing_or_false_reports() => VerifyAsync("""
        using System;

        enum MapStatus { Mapped, Invalid, Fault }

        static class Shapes
        {
            [return: Pinned]
            static Pfn? MaybePin(HostMm mm, ulong hva) => mm.GetUserPages(hva);

            static int SwitchExpression(ulong gfn) =>
                Kvm.VcpuMap(gfn, out var map) switch
                {
                    0 => Use(map),
                    -Kvm.EINVAL => 1,
                    _ => 2,
                };

            static int Use([ReleasesPin] MappedPage map)
            {
                map.Unmap();
                return 0;
            }

            static void RelationalPatterns(ulong gfn)
            {
                var rc = Kvm.VcpuMap(gfn, out var map);
                if (rc is < 0) return;
                if (rc is not 0) return;
                map.Unmap();
            }

            static void TupleOfAResult(ulong gfn)
            {
                if (Kvm.VcpuMap(gfn, out var map) != 0) return;
                (int, MappedPage) pair = (0, map);
                _ = pair;
                map.Unmap();
            }

            static void NullableValue(HostMm mm, PageRefs refs, ulong hva)
            {
                var pfn = MaybePin(mm, hva);
                if (pfn == null) return;
                if (!pfn.HasValue) return;
                refs.Unpin(pfn.Value);
            }

            static void Coalesce(ulong gpa)
            {
                var page = Kvm.GpaToPage(gpa) ?? throw new InvalidOperationException();
                Kvm.ReleasePage(page);
            }

            static void NullConditional(ulong gpa)
            {
                var page = Kvm.GpaToPage(gpa);
                _ = page?.GetHashCode();
                Kvm.ReleasePage(page);
            }

            static void ComparedBothWays(ulong gfn)
            {
                if (0 != Kvm.VcpuMap(gfn, out var map)) return;
                map.Unmap();
            }
        }
        """);

    [Fact]
    public Task Deconstructed_int_result_keeps_its_outcome() => VerifyAsync("""
        class Svm
        {
            // Issue 9 item 2: the tuple's elements are written one by one, so rc keeps kvm_vcpu_map()'s outcome.
            void Read(ulong gfn)
            {
                var (rc, offset) = (Kvm.VcpuMap(gfn, out var map), gfn & 4095);
                if (rc == 0) map.Unmap();
            }
        }
        """);

    [Fact]
    public Task Deconstructed_int_result_not_tested_on_the_unmapping_path_leaks() => VerifyAsync("""
        class Svm
        {
            void Read(ulong gfn, bool unmap)
            {
                var (rc, offset) = (Kvm.VcpuMap(gfn, out var map), gfn & 4095);
                if (rc == 0 && unmap) map.Unmap();
            {|MMU0005:}|}
        }
        """);
}
