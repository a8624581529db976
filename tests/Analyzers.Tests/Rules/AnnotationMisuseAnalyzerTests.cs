using System.Threading.Tasks;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0010: contradictory or ill-placed ownership attributes.</summary>
public sealed class AnnotationMisuseAnalyzerTests
{
    private static Task VerifyAsync(string members, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
            "using MmuGuard;\n\npublic struct Pfn { }\n\npublic class Pages\n{\n" + members + "\n}\n",
            expected);

    [Fact]
    public Task Not_zero_on_a_void_return_promises_nothing() => VerifyAsync(
        "[return: {|MMU0010:NotZero|}] public void Kunmap() { }");

    [Fact]
    public Task Not_zero_on_a_bool_return_is_reported() => VerifyAsync(
        "[return: {|MMU0010:NotZero|}] public bool PfnValid() => true;");

    [Fact]
    public Task Not_zero_on_a_struct_return_is_reported() => VerifyAsync(
        "[return: {|MMU0010:NotZero|}] public Pfn Resolve() => default;");

    [Fact]
    public Task Not_zero_on_an_address_or_a_reference_is_fine() => VerifyAsync(
        "[return: NotZero] public ulong Kmap() => 4096;\n[return: NotZero] public object Vmap() => new object();\n[return: NotZero] public nint Map() => 1;");

    [Fact]
    public Task Pinned_and_borrowed_on_one_return_value_is_reported() => VerifyAsync(
        "[return: Pinned, {|MMU0010:Borrowed|}] public Pfn Resolve() => default;");

    [Fact]
    public Task Pinned_and_borrowed_on_one_out_parameter_is_reported() => VerifyAsync(
        "public void Resolve([Pinned, {|MMU0010:Borrowed|}] out Pfn pfn) { pfn = default; }");

    [Fact]
    public Task Acquires_pin_with_releases_pin_on_one_parameter_is_reported() => VerifyAsync(
        "public void Cycle([AcquiresPin, {|MMU0010:ReleasesPin|}] Pfn pfn) { }");

    [Fact]
    public Task Acquires_pin_with_releases_pin_on_one_method_is_reported() => VerifyAsync(
        "[AcquiresPin, {|MMU0010:ReleasesPin|}] public void Cycle() { }");

    [Fact]
    public Task Acquires_lock_with_releases_lock_on_one_method_is_reported() => VerifyAsync(
        "[AcquiresLock, {|MMU0010:ReleasesLock|}] public void Cycle() { }");

    [Fact]
    public Task Acquires_lock_on_a_static_method_has_no_receiver_to_lock() => VerifyAsync(
        "[{|MMU0010:AcquiresLock|}] public static void SpinLock(object mmuLock) { }");

    [Fact]
    public Task Acquires_lock_on_the_parameter_of_a_static_method_is_fine() => VerifyAsync(
        "public static void SpinLock([AcquiresLock] object mmuLock) { }");

    [Fact]
    public Task Acquires_pin_with_try_acquires_pin_on_one_parameter_is_reported() => VerifyAsync(
        "public bool Pin([AcquiresPin, {|MMU0010:TryAcquiresPin|}] Pfn pfn) => true;");

    [Fact]
    public Task Notifier_covered_with_pinned_on_one_field_is_a_pinning_cache_not_a_conflict() => VerifyAsync(
        "[Pinned, NotifierCovered] private Pfn _cached;");

    [Fact]
    public Task Notifier_covered_with_pinned_on_one_property_is_a_pinning_cache_not_a_conflict() => VerifyAsync(
        "[Pinned, NotifierCovered] public Pfn Cached { get; set; }");

    [Fact]
    public Task Out_of_band_sink_with_notifier_covered_sink_on_one_parameter_is_reported() => VerifyAsync(
        "public void Install([OutOfBandSink, {|MMU0010:NotifierCoveredSink|}] Pfn pfn) { }");

    [Fact]
    public Task Releases_pin_with_takes_pin_ownership_on_one_parameter_is_reported() => VerifyAsync(
        "public void Hand([ReleasesPin, {|MMU0010:TakesPinOwnership|}] Pfn pfn) { }");

    [Fact]
    public Task Borrowed_with_requires_pin_on_one_parameter_is_reported() => VerifyAsync(
        "public void MarkDirty([Borrowed, {|MMU0010:RequiresPin|}] Pfn pfn) { }");

    [Fact]
    public Task Try_acquires_pin_on_a_void_method_is_reported() => VerifyAsync(
        "[{|MMU0010:TryAcquiresPin|}] public void TryPin() { }");

    [Fact]
    public Task Try_acquires_pin_parameter_of_a_method_returning_int_without_success_result_is_reported() => VerifyAsync(
        "public int TryPin([{|MMU0010:TryAcquiresPin|}] Pfn pfn) => 0;");

    [Fact]
    public Task Try_acquires_pin_with_success_result_on_an_int_result_is_clean() => VerifyAsync(
        "public int Map(ulong gfn, [TryAcquiresPin(SuccessResult = 0)] out Pfn pfn) { pfn = default; return 0; }");

    [Fact]
    public Task Try_acquires_pin_on_an_out_of_a_method_returning_a_pfn_is_clean() => VerifyAsync(
        "public Pfn Follow(ulong hva, [TryAcquiresPin] out Pfn page) { page = default; return default; }");

    [Fact]
    public Task Success_result_on_a_bool_result_is_reported() => VerifyAsync(
        "public bool TryPin([{|MMU0010:TryAcquiresPin(SuccessResult = 1)|}] Pfn pfn) => true;");

    [Fact]
    public Task Success_is_highest_without_success_result_is_reported() => VerifyAsync(
        "public bool TryPin([{|MMU0010:TryAcquiresPin(SuccessIsHighest = true)|}] Pfn pfn) => true;");

    [Fact]
    public Task Success_is_highest_with_success_result_on_an_int_result_is_clean() => VerifyAsync(
        "public int Remapped(ulong hva, [TryAcquiresPin(SuccessResult = 0, SuccessIsHighest = true)] out Pfn pfn) { pfn = default; return 0; }");

    [Fact]
    public Task Not_refcounted_check_on_a_method_not_returning_bool_is_reported() => VerifyAsync(
        "[{|MMU0010:NotRefcountedCheck|}] public int IsReserved(Pfn pfn) => 0;");

    [Fact]
    public Task Not_refcounted_check_on_a_property_not_of_type_bool_is_reported() => VerifyAsync(
        "[{|MMU0010:NotRefcountedCheck(false)|}] public int Valid => 0;");

    [Fact]
    public Task Borrowed_on_a_field_or_property_of_a_long_lived_type_is_reported() => VerifyAsync(
        "[{|MMU0010:Borrowed|}] public Pfn Cached;\n[{|MMU0010:Borrowed|}] public Pfn Last { get; set; }");

    [Fact]
    public Task Borrowed_on_a_member_of_an_operation_context_is_clean() =>
        Verifier<AnnotationMisuseAnalyzer>.VerifyAsync(
            "using MmuGuard;\n\npublic struct Pfn { }\n\n[OperationContext]\npublic sealed class PageFault\n{\n    [Borrowed] public Pfn Pfn;\n    [Borrowed] public Pfn Previous { get; set; }\n}\n");

    [Fact]
    public Task Not_refcounted_check_on_a_bool_method_and_property_is_clean() => VerifyAsync(
        "[NotRefcountedCheck] public static bool IsReserved(Pfn pfn) => false;\n[NotRefcountedCheck(false)] public bool Valid => true;");

    [Fact]
    public Task Error_check_on_a_parameter_of_a_method_not_returning_bool_is_reported() => VerifyAsync(
        "public int HandleAbnormal(object vcpu, [{|MMU0010:ErrorCheck|}] Pfn pfn) => 0;");

    [Fact]
    public Task Pinned_with_may_be_non_refcounted_on_a_return_value_is_accepted() => VerifyAsync(
        "[return: Pinned, MayBeNonRefcounted] public Pfn GfnToPfn(ulong gfn) => default;");

    [Fact]
    public Task Error_check_on_a_parameter_of_a_bool_method_is_clean() => VerifyAsync(
        "public bool HandleAbnormal(object vcpu, [ErrorCheck] Pfn pfn, out int r) { r = 0; return false; }");

    [Fact]
    public Task Checks_invalidation_retry_on_a_method_not_returning_bool_is_reported() => VerifyAsync(
        "[{|MMU0010:ChecksInvalidationRetry|}] public ulong MustRetry(ulong snapshot) => snapshot;");

    [Fact]
    public Task Snapshots_invalidation_sequence_on_a_void_method_is_reported() => VerifyAsync(
        "[{|MMU0010:SnapshotsInvalidationSequence|}] public void SnapshotSequence() { }");

    [Fact]
    public Task Receiver_form_on_a_static_method_is_reported() => VerifyAsync(
        "[{|MMU0010:ReleasesPin|}] public static void Unmap() { }");

    [Fact]
    public Task Every_receiver_form_on_a_static_method_is_reported_separately() => VerifyAsync(
        "[{|MMU0010:RequiresPin|}, {|MMU0010:AcquiresPin|}] public static void Touch() { }");

    [Fact]
    public Task Message_names_the_member_and_the_problem() => VerifyAsync(
        "[return: Pinned, {|#0:Borrowed|}] public Pfn Resolve() => default;",
        Verifier<AnnotationMisuseAnalyzer>.Diagnostic("MMU0010").WithLocation(0).WithArguments(
            "The return value of 'Pages.Resolve()' is marked both [Pinned] and [Borrowed]: a value either holds a page reference or it does not"));

    [Fact]
    public Task Static_message_names_the_method_and_the_attribute() => VerifyAsync(
        "[{|#0:ReleasesPin|}] public static void Unmap() { }",
        Verifier<AnnotationMisuseAnalyzer>.Diagnostic("MMU0010").WithLocation(0).WithArguments(
            "'Pages.Unmap()' is static, but [ReleasesPin] on a method acts on its receiver; put it on the parameter it applies to"));

    [Fact]
    public Task The_documented_vocabulary_in_its_valid_combinations_is_silent() => VerifyAsync(@"
    [return: Borrowed, MayBeNonRefcounted] public Pfn FollowPte(ulong hva) => default;
    [return: Pinned] public Pfn GetUserPages(ulong hva) => default;
    public void Pin([AcquiresPin] Pfn pfn) { }
    public bool TryPin([TryAcquiresPin] Pfn pfn) => true;
    public bool TryMapOnFalse([TryAcquiresPin(false)] out Pfn pfn) { pfn = default; return false; }
    public void Unpin([ReleasesPin] Pfn pfn) { }
    public void Adopt([TakesPinOwnership] Pfn pfn) { }
    public void Map([OutOfBandSink, TakesPinOwnership] Pfn pfn) { }
    public void Install(ulong gfn, [NotifierCoveredSink, Borrowed, MayBeNonRefcounted] Pfn pfn) { }
    public void MarkDirty([RequiresPin, MayBeNonRefcounted] Pfn pfn) { }
    [SnapshotsInvalidationSequence] public ulong SnapshotSequence() => 0;
    [ChecksInvalidationRetry] public bool MustRetry(ulong snapshot) => false;
    [ReleasesPin] public void Unmap() { }
    [TryAcquiresPin] public bool TryPinSelf() => true;
    [RequiresPin] public ulong ReadQword(int offset) => 0;
    [Pinned, MayBeNonRefcounted] private Pfn _owned;
    [NotifierCovered] private Pfn _cached;
    public static void PinStatic([AcquiresPin] Pfn pfn) { }");
}
