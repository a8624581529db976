using System.Threading.Tasks;
using MmuGuard.Analyzers.CodeFixes;
using MmuGuard.Analyzers.Rules;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Analyzers.Tests.CodeFixes;

/// <summary>MMU0004's fix: add the sequence snapshot before the resolve and the retry check before the install.</summary>
public sealed class NotifierSequenceFixerTests
{
    private const string Api = @"using MmuGuard;

public struct Pfn { }

public class HostMm
{
    [return: Borrowed, MayBeNonRefcounted] public Pfn FollowPte(ulong hva) => default;
}

public class Stage2
{
    public void Install(ulong gfn, [NotifierCoveredSink] Pfn pfn) { }
}

public class Invalidations
{
    [SnapshotsInvalidationSequence] public ulong Read() => 0;
    [ChecksInvalidationRetry] public bool Moved(ulong since) => false;
}
";

    /// <summary>A fault handler named NAME that installs a borrowed PFN with no discipline at all.</summary>
    private const string Undisciplined = @"
    public void NAME(HostMm mm, Invalidations notifier, Stage2 stage2, ulong gfn, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        stage2.Install(gfn, {|MMU0004:pfn|});
    }
";

    /// <summary><see cref="Undisciplined"/> after the fix.</summary>
    private const string Disciplined = @"
    public void NAME(HostMm mm, Invalidations notifier, Stage2 stage2, ulong gfn, ulong hva)
    {
        var sequence = notifier.Read();
        var pfn = mm.FollowPte(hva);
        if (notifier.Moved(sequence))
        {
            return;
        }

        stage2.Install(gfn, pfn);
    }
";

    private static Task VerifyAsync(string source, string fixedSource) =>
        FixVerifier<OwnershipFlowAnalyzer, NotifierSequenceFixer>.VerifyAsync(Api + source, Api + fixedSource);

    private static string Fault(params string[] handlers) => "\npublic class Fault\n{" + string.Join("", handlers) + "}\n";

    [Fact]
    public Task Missing_snapshot_and_retry_check_are_both_added() => VerifyAsync(
        Fault(Undisciplined.Replace("NAME", "Handle")),
        Fault(Disciplined.Replace("NAME", "Handle")));

    [Fact]
    public Task An_existing_snapshot_is_reused_for_the_retry_check() => VerifyAsync(@"
public class Fault
{
    public bool Handle(HostMm mm, Invalidations notifier, Stage2 stage2, ulong gfn, ulong hva)
    {
        var seq = notifier.Read();
        var pfn = mm.FollowPte(hva);
        lock (stage2)
        {
            stage2.Install(gfn, {|MMU0004:pfn|});
        }

        return true;
    }
}
", @"
public class Fault
{
    public bool Handle(HostMm mm, Invalidations notifier, Stage2 stage2, ulong gfn, ulong hva)
    {
        var seq = notifier.Read();
        var pfn = mm.FollowPte(hva);
        lock (stage2)
        {
            if (notifier.Moved(seq))
            {
                return false;
            }

            stage2.Install(gfn, pfn);
        }

        return true;
    }
}
");

    [Fact]
    public Task The_notifier_is_found_in_a_field_by_its_contract() => VerifyAsync(@"
public class Fault
{
    private readonly Invalidations _mmuNotifier = new Invalidations();

    public void Handle(HostMm mm, Stage2 stage2, ulong gfn, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        stage2.Install(gfn, {|MMU0004:pfn|});
    }
}
", @"
public class Fault
{
    private readonly Invalidations _mmuNotifier = new Invalidations();

    public void Handle(HostMm mm, Stage2 stage2, ulong gfn, ulong hva)
    {
        var sequence = _mmuNotifier.Read();
        var pfn = mm.FollowPte(hva);
        if (_mmuNotifier.Moved(sequence))
        {
            return;
        }

        stage2.Install(gfn, pfn);
    }
}
");

    /// <summary>GUP: the resolve takes a pin that the handler releases after the install.</summary>
    private const string PinningApi = @"
public class Gup
{
    [return: Pinned] public Pfn GetUserPages(ulong hva) => default;
    public void PutPage([ReleasesPin] Pfn pfn) { }
}
";

    /// <summary>The GUP handler after the fix: the retry exit puts the pin as the handler's own exit does.</summary>
    private const string FixedGupHandler = @"
public class Fault
{
    public void Handle(Gup gup, Invalidations notifier, Stage2 stage2, ulong gfn, ulong hva)
    {
        var sequence = notifier.Read();
        var pfn = gup.GetUserPages(hva);
        if (notifier.Moved(sequence))
        {
            gup.PutPage(pfn);
            return;
        }

        stage2.Install(gfn, pfn);
        gup.PutPage(pfn);
    }
}
";

    [Fact]
    public Task The_retry_exit_releases_a_pinned_pfn_as_the_handler_already_does() => VerifyAsync(PinningApi + @"
public class Fault
{
    public void Handle(Gup gup, Invalidations notifier, Stage2 stage2, ulong gfn, ulong hva)
    {
        var pfn = gup.GetUserPages(hva);
        stage2.Install(gfn, {|MMU0004:pfn|});
        gup.PutPage(pfn);
    }
}
", PinningApi + FixedGupHandler);

    [Fact]
    public Task The_fixed_gup_handler_is_clean_under_every_flow_rule() => Verifier<OwnershipFlowAnalyzer>.VerifyAsync(Api + PinningApi + FixedGupHandler);

    [Fact]
    public Task The_retry_exit_releases_a_pinned_pfn_by_contract_when_the_handler_never_does() => VerifyAsync(PinningApi + @"
public class Fault
{
    public void Handle(Gup gup, Invalidations notifier, Stage2 stage2, ulong gfn, ulong hva)
    {
        var pfn = gup.GetUserPages(hva);
        stage2.Install(gfn, {|MMU0004:pfn|});
    }
}
", PinningApi + @"
public class Fault
{
    public void Handle(Gup gup, Invalidations notifier, Stage2 stage2, ulong gfn, ulong hva)
    {
        var sequence = notifier.Read();
        var pfn = gup.GetUserPages(hva);
        if (notifier.Moved(sequence))
        {
            gup.PutPage(pfn);
            return;
        }

        stage2.Install(gfn, pfn);
    }
}
");

    [Fact]
    public Task No_fix_for_a_pinned_pfn_with_no_release_in_reach()
    {
        var source = Api + @"
public class Lookup
{
    [return: Pinned] public Pfn GetUserPages(ulong hva) => default;
}

public class Fault
{
    public void Handle(Lookup lookup, Invalidations notifier, Stage2 stage2, ulong gfn, ulong hva)
    {
        var pfn = lookup.GetUserPages(hva);
        stage2.Install(gfn, {|MMU0004:pfn|});
    }
}
";
        return FixVerifier<OwnershipFlowAnalyzer, NotifierSequenceFixer>.VerifyAsync(source, source);
    }

    [Fact]
    public Task No_fix_without_a_notifier_in_scope()
    {
        var source = Api + @"
public class Fault
{
    public void Handle(HostMm mm, Stage2 stage2, ulong gfn, ulong hva)
    {
        var pfn = mm.FollowPte(hva);
        stage2.Install(gfn, {|MMU0004:pfn|});
    }
}
";
        return FixVerifier<OwnershipFlowAnalyzer, NotifierSequenceFixer>.VerifyAsync(source, source);
    }

    [Fact]
    public Task No_fix_for_an_install_after_the_invalidation_lock_was_dropped()
    {
        var source = Api + @"
[InvalidationLock]
public class MmuLock
{
    [AcquiresLock] public void Lock() { }
    [ReleasesLock] public void Unlock() { }
}

public class Fault
{
    public void Handle(HostMm mm, Invalidations notifier, MmuLock mmuLock, Stage2 stage2, ulong gfn, ulong hva)
    {
        var seq = notifier.Read();
        var pfn = mm.FollowPte(hva);
        mmuLock.Lock();
        if (notifier.Moved(seq))
        {
            mmuLock.Unlock();
            return;
        }

        mmuLock.Unlock();
        stage2.Install(gfn, {|MMU0004:pfn|});
    }
}
";
        return FixVerifier<OwnershipFlowAnalyzer, NotifierSequenceFixer>.VerifyAsync(source, source);
    }

    [Fact]
    public Task Fix_all_repairs_every_install_in_the_document() => VerifyAsync(
        Fault(Undisciplined.Replace("NAME", "First"), Undisciplined.Replace("NAME", "Second")),
        Fault(Disciplined.Replace("NAME", "First"), Disciplined.Replace("NAME", "Second")));
}
