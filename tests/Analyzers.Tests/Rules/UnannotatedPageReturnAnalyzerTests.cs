using System.Threading.Tasks;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>MMU0016: a helper that plainly returns a pinned or borrowed page without saying so.</summary>
public sealed class UnannotatedPageReturnAnalyzerTests
{
    private const string Pages = @"
public struct Pfn { }

public class Mm
{
    [return: Pinned] public Pfn GetUserPages(ulong hva) => default;
    [return: Borrowed, MayBeNonRefcounted] public Pfn FollowPte(ulong hva) => default;
    public Pfn Plain(ulong hva) => default;
}
";

    private static Task VerifyAsync(string helpers, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        Verifier<UnannotatedPageReturnAnalyzer>.VerifyAsync(
            "using MmuGuard;\n" + Pages + "\npublic class Helpers\n{\n    private readonly Mm _mm = new Mm();\n" + helpers + "\n}\n",
            expected);

    [Fact]
    public Task Expression_bodied_pinned_wrapper_is_reported() => VerifyAsync(
        "public Pfn {|MMU0016:Resolve|}(ulong hva) => _mm.GetUserPages(hva);");

    [Fact]
    public Task Borrowed_wrapper_is_reported() => VerifyAsync(
        "public Pfn {|MMU0016:Peek|}(ulong hva) { return _mm.FollowPte(hva); }");

    [Fact]
    public Task Return_of_a_local_initialised_by_a_pinned_call_is_reported() => VerifyAsync(@"
    public Pfn {|MMU0016:Resolve|}(ulong hva)
    {
        var page = _mm.GetUserPages(hva);
        return page;
    }");

    [Fact]
    public Task Every_return_pinned_is_reported() => VerifyAsync(@"
    public Pfn {|MMU0016:Resolve|}(ulong hva, bool high)
    {
        if (high)
        {
            return _mm.GetUserPages(hva + 4096);
        }

        return _mm.GetUserPages(hva);
    }");

    [Fact]
    public Task Message_names_the_helper_and_the_attribute() => VerifyAsync(
        "public Pfn {|#0:Resolve|}(ulong hva) => _mm.GetUserPages(hva);",
        Verifier<UnannotatedPageReturnAnalyzer>.Diagnostic("MMU0016")
            .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info)
            .WithLocation(0)
            .WithArguments("Helpers.Resolve(ulong)", "pinned", "its return value", "return: Pinned"));

    [Fact]
    public Task Message_on_an_out_parameter_names_the_parameter_and_the_attribute() => VerifyAsync(
        "public void Peek(ulong hva, out Pfn {|#0:pfn|}) => pfn = _mm.FollowPte(hva);",
        Verifier<UnannotatedPageReturnAnalyzer>.Diagnostic("MMU0016")
            .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info)
            .WithLocation(0)
            .WithArguments("Helpers.Peek(ulong, out Pfn)", "borrowed", "out parameter 'pfn'", "Borrowed"));

    [Fact]
    public Task Mixed_pinned_and_borrowed_returns_are_silent() => VerifyAsync(@"
    public Pfn Resolve(ulong hva, bool pfnMap) => pfnMap ? _mm.FollowPte(hva) : _mm.GetUserPages(hva);
    public Pfn Resolve2(ulong hva, bool pfnMap)
    {
        if (pfnMap)
        {
            return _mm.FollowPte(hva);
        }

        return _mm.GetUserPages(hva);
    }");

    [Fact]
    public Task A_return_of_an_unannotated_value_is_silent() => VerifyAsync(@"
    public Pfn Resolve(ulong hva, bool cached)
    {
        if (cached)
        {
            return _mm.Plain(hva);
        }

        return _mm.GetUserPages(hva);
    }");

    [Fact]
    public Task A_reassigned_local_is_silent() => VerifyAsync(@"
    public Pfn Resolve(ulong hva)
    {
        var page = _mm.GetUserPages(hva);
        page = _mm.Plain(hva);
        return page;
    }");

    [Fact]
    public Task An_already_annotated_helper_is_silent() => VerifyAsync(
        "[return: Pinned] public Pfn Resolve(ulong hva) => _mm.GetUserPages(hva);");

    [Fact]
    public Task Returns_inside_a_lambda_do_not_count() => VerifyAsync(@"
    public Pfn Resolve(ulong hva)
    {
        System.Func<Pfn> later = () => _mm.GetUserPages(hva);
        return _mm.Plain(hva);
    }");
}
