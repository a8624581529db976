using System.Threading.Tasks;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.CodeFixes;

/// <summary>MMU0005's fix: release the pin in a finally.</summary>
public sealed class PinLeakFixerTests
{
    private const string Api = @"using MmuGuard;

public struct Pfn { }

public class Mm
{
    [return: Pinned] public Pfn GetUserPages(ulong hva) => default;
    public void PutPage([ReleasesPin] Pfn pfn) { }
}

public class Sink
{
    [Pinned] private Pfn _kept;
    public void Adopt([TakesPinOwnership] Pfn pfn) { _kept = pfn; }
}

public sealed class MappedPage
{
    [ReleasesPin] public void Unmap() { }
}

public class Maps
{
    [return: Pinned] public MappedPage Map(ulong gfn) => new MappedPage();
}
";

    private static Task VerifyAsync(string source, string fixedSource) =>
        FixVerifier<OwnershipFlowAnalyzer, PinLeakFixer>.VerifyAsync(Api + source, Api + fixedSource);

    [Fact]
    public Task Leak_on_an_early_return_is_released_in_a_finally_on_the_object_that_pinned() => VerifyAsync(@"
public class Copier
{
    public bool Copy(Mm mm, ulong hva, bool ram)
    {
        var pfn = mm.GetUserPages(hva);
        if (!ram)
        {
            {|MMU0005:return|} false;
        }

        Touch(pfn);
        mm.PutPage(pfn);
        return true;
    }

    private static void Touch(Pfn pfn) { }
}
", @"
public class Copier
{
    public bool Copy(Mm mm, ulong hva, bool ram)
    {
        var pfn = mm.GetUserPages(hva);
        try
        {
            if (!ram)
            {
                return false;
            }

            Touch(pfn);
            return true;
        }
        finally
        {
            mm.PutPage(pfn);
        }
    }

    private static void Touch(Pfn pfn) { }
}
");

    [Fact]
    public Task A_pin_with_nothing_after_it_is_released_right_away() => VerifyAsync(@"
public class Copier
{
    public void Probe(Mm mm, ulong hva)
    {
        var pfn = mm.GetUserPages(hva);
    {|MMU0005:}|}
}
", @"
public class Copier
{
    public void Probe(Mm mm, ulong hva)
    {
        var pfn = mm.GetUserPages(hva);
        mm.PutPage(pfn);
    }
}
");

    [Fact]
    public Task A_receiver_form_release_is_used_for_a_mapped_page() => VerifyAsync(@"
public class Reader
{
    public void Read(Maps maps, ulong gfn)
    {
        var page = maps.Map(gfn);
        System.Console.WriteLine(page);
    {|MMU0005:}|}
}
", @"
public class Reader
{
    public void Read(Maps maps, ulong gfn)
    {
        var page = maps.Map(gfn);
        try
        {
            System.Console.WriteLine(page);
        }
        finally
        {
            page.Unmap();
        }
    }
}
");

    [Fact]
    public Task No_fix_when_the_pin_is_handed_to_an_owner_on_some_path()
    {
        var source = Api + @"
public class Owner
{
    public void Keep(Mm mm, Sink sink, ulong hva, bool keep)
    {
        var pfn = mm.GetUserPages(hva);
        if (keep)
        {
            sink.Adopt(pfn);
        }
    {|MMU0005:}|}
}
";
        return FixVerifier<OwnershipFlowAnalyzer, PinLeakFixer>.VerifyAsync(source, source);
    }

    [Fact]
    public Task Fix_all_releases_every_leaked_pin_in_the_document() => VerifyAsync(@"
public class Copier
{
    public void One(Mm mm, ulong hva)
    {
        var first = mm.GetUserPages(hva);
        System.Console.WriteLine(first);
    {|MMU0005:}|}

    public void Two(Mm mm, ulong hva)
    {
        var second = mm.GetUserPages(hva);
        System.Console.WriteLine(second);
    {|MMU0005:}|}
}
", @"
public class Copier
{
    public void One(Mm mm, ulong hva)
    {
        var first = mm.GetUserPages(hva);
        try
        {
            System.Console.WriteLine(first);
        }
        finally
        {
            mm.PutPage(first);
        }
    }

    public void Two(Mm mm, ulong hva)
    {
        var second = mm.GetUserPages(hva);
        try
        {
            System.Console.WriteLine(second);
        }
        finally
        {
            mm.PutPage(second);
        }
    }
}
");
}
