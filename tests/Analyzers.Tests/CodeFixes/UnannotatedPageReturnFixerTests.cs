using System.Threading.Tasks;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.CodeFixes;

/// <summary>MMU0016's fix: add the return attribute the helper's body implies.</summary>
public sealed class UnannotatedPageReturnFixerTests
{
    private const string Header = @"using MmuGuard;

public struct Pfn { }

public class Mm
{
    [return: Pinned] public Pfn GetUserPages(ulong hva) => default;
    [return: Borrowed] public Pfn FollowPte(ulong hva) => default;
}
";

    private static Task VerifyAsync(string source, string fixedSource) =>
        FixVerifier<UnannotatedPageReturnAnalyzer, UnannotatedPageReturnFixer>.VerifyAsync(Header + source, Header + fixedSource);

    [Fact]
    public Task Pinned_wrapper_gets_return_pinned() => VerifyAsync(@"
public class Helpers
{
    private readonly Mm _mm = new Mm();

    public Pfn {|MMU0016:Resolve|}(ulong hva) => _mm.GetUserPages(hva);
}
", @"
public class Helpers
{
    private readonly Mm _mm = new Mm();

    [return: Pinned]
    public Pfn Resolve(ulong hva) => _mm.GetUserPages(hva);
}
");

    [Fact]
    public Task Existing_attributes_are_kept() => VerifyAsync(@"
public class Helpers
{
    private readonly Mm _mm = new Mm();

    [System.Obsolete]
    public Pfn {|MMU0016:Peek|}(ulong hva) => _mm.FollowPte(hva);
}
", @"
public class Helpers
{
    private readonly Mm _mm = new Mm();

    [System.Obsolete]
    [return: Borrowed]
    public Pfn Peek(ulong hva) => _mm.FollowPte(hva);
}
");

    [Fact]
    public Task Fix_all_annotates_every_helper_in_the_document_with_its_own_attribute() => VerifyAsync(@"
public class Helpers
{
    private readonly Mm _mm = new Mm();

    public Pfn {|MMU0016:Resolve|}(ulong hva) => _mm.GetUserPages(hva);

    public Pfn {|MMU0016:Peek|}(ulong hva) => _mm.FollowPte(hva);

    public Pfn {|MMU0016:ResolveNext|}(ulong hva)
    {
        var page = _mm.GetUserPages(hva + 4096);
        return page;
    }
}
", @"
public class Helpers
{
    private readonly Mm _mm = new Mm();

    [return: Pinned]
    public Pfn Resolve(ulong hva) => _mm.GetUserPages(hva);

    [return: Borrowed]
    public Pfn Peek(ulong hva) => _mm.FollowPte(hva);

    [return: Pinned]
    public Pfn ResolveNext(ulong hva)
    {
        var page = _mm.GetUserPages(hva + 4096);
        return page;
    }
}
");
}
