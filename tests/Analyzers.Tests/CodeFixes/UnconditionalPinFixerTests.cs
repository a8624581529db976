using System.Threading.Tasks;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.CodeFixes;

/// <summary>MMU0002's fix: unconditional pin → the type's try-pin with a failure branch.</summary>
public sealed class UnconditionalPinFixerTests
{
    private const string Api = @"using MmuGuard;

public struct Pfn { }

public class Mm
{
    [return: Borrowed, MayBeNonRefcounted] public Pfn FollowPte(ulong hva) => default;
}

public class Pages
{
    public void Get([AcquiresPin] Pfn pfn) { }
    public bool GetUnlessZero([TryAcquiresPin] Pfn pfn) => true;
    public bool LooksLikeTryPinButIsNot(Pfn pfn) => true;
}

public class Frames
{
    public void Get([AcquiresPin] Pfn pfn) { }
    public bool Refuse([TryAcquiresPin(false)] Pfn pfn) => false;
}

public class Handles
{
    public void Get([AcquiresPin] Pfn pfn) { }
}
";

    private static Task VerifyAsync(string source, string fixedSource) =>
        FixVerifier<OwnershipFlowAnalyzer, UnconditionalPinFixer>.VerifyAsync(Api + source, Api + fixedSource);

    [Fact]
    public Task Pin_in_a_void_method_becomes_a_try_pin_that_returns() => VerifyAsync(@"
public class Fault
{
    public void Handle(Mm mm, Pages pages, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        pages.Get({|MMU0002:pfn|});
    }
}
", @"
public class Fault
{
    public void Handle(Mm mm, Pages pages, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        if (!pages.GetUnlessZero(pfn))
        {
            return;
        }
    }
}
");

    [Fact]
    public Task Pin_in_a_bool_method_returns_false_on_failure() => VerifyAsync(@"
public class Fault
{
    public bool Handle(Mm mm, Pages pages, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        pages.Get({|MMU0002:pfn|});
        return true;
    }
}
", @"
public class Fault
{
    public bool Handle(Mm mm, Pages pages, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        if (!pages.GetUnlessZero(pfn))
        {
            return false;
        }

        return true;
    }
}
");

    [Fact]
    public Task Pin_in_a_method_returning_a_value_throws_on_failure() => VerifyAsync(@"
public class Fault
{
    public Pfn Handle(Mm mm, Pages pages, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        pages.Get({|MMU0002:pfn|});
        return pfn;
    }
}
", @"
public class Fault
{
    public Pfn Handle(Mm mm, Pages pages, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        if (!pages.GetUnlessZero(pfn))
        {
            throw new System.InvalidOperationException(""The page could not be pinned: it may be non-refcounted or have no page descriptor."");
        }

        return pfn;
    }
}
");

    [Fact]
    public Task Try_pin_that_succeeds_on_false_is_called_without_negation() => VerifyAsync(@"
public class Fault
{
    public void Handle(Mm mm, Frames frames, ulong hva)
    {
        frames.Get({|MMU0002:mm.FollowPte(hva)|});
    }
}
", @"
public class Fault
{
    public void Handle(Mm mm, Frames frames, ulong hva)
    {
        if (frames.Refuse(mm.FollowPte(hva)))
        {
            return;
        }
    }
}
");

    [Fact]
    public Task No_fix_when_the_type_has_no_try_pin()
    {
        var source = Api + @"
public class Fault
{
    public void Handle(Mm mm, Handles handles, ulong hva)
    {
        handles.Get({|MMU0002:mm.FollowPte(hva)|});
    }
}
";
        return FixVerifier<OwnershipFlowAnalyzer, UnconditionalPinFixer>.VerifyAsync(source, source);
    }

    [Fact]
    public Task Fix_all_rewrites_every_pin_in_the_document() => VerifyAsync(@"
public class Fault
{
    public void Handle(Mm mm, Pages pages, ulong hva)
    {
        pages.Get({|MMU0002:mm.FollowPte(hva)|});
        pages.Get({|MMU0002:mm.FollowPte(hva + 4096)|});
    }

    public bool Other(Mm mm, Pages pages, ulong hva)
    {
        pages.Get({|MMU0002:mm.FollowPte(hva)|});
        return true;
    }
}
", @"
public class Fault
{
    public void Handle(Mm mm, Pages pages, ulong hva)
    {
        if (!pages.GetUnlessZero(mm.FollowPte(hva)))
        {
            return;
        }

        if (!pages.GetUnlessZero(mm.FollowPte(hva + 4096)))
        {
            return;
        }
    }

    public bool Other(Mm mm, Pages pages, ulong hva)
    {
        if (!pages.GetUnlessZero(mm.FollowPte(hva)))
        {
            return false;
        }

        return true;
    }
}
");

    /// <summary>A page type that pins itself (the receiver form) and the table that hands one out borrowed.</summary>
    private const string SelfPinningPage = @"
public sealed class Page
{
    [AcquiresPin] public void Get() { }
    [TryAcquiresPin] public bool TryGet() => true;
}

public class PageTable
{
    [return: Borrowed, MayBeNonRefcounted] public Page Lookup(ulong hva) => new Page();
}
";

    [Fact]
    public Task A_receiver_form_pin_becomes_the_receiver_form_try_pin() => VerifyAsync(SelfPinningPage + @"
public class Fault
{
    public void Handle(PageTable table, ulong hva)
    {
        var page = table.Lookup(hva);
        {|MMU0002:page|}.Get();
    }
}
", SelfPinningPage + @"
public class Fault
{
    public void Handle(PageTable table, ulong hva)
    {
        var page = table.Lookup(hva);
        if (!page.TryGet())
        {
            return;
        }
    }
}
");
}
