using System.Threading.Tasks;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Infrastructure.OwnershipRulesVerifier;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>Control-flow shapes the core must walk without throwing (an AD0001 fails these tests) and without false reports.</summary>
public sealed class UnusualShapesTests
{
    [Fact]
    public Task Async_iterator_goto_switch_and_nested_handlers_are_walked_cleanly() =>
        Verify.VerifyAsync("""
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;

            class Shapes
            {
                async Task<ulong> Async(GuestMemory memory, ulong gfn)
                {
                    await Task.Yield();
                    using var page = memory.Map(gfn);
                    await Task.Delay(1);
                    return page.ReadQword(0);
                }

                IEnumerable<ulong> Iterator(GuestMemory memory, ulong[] gfns)
                {
                    foreach (var gfn in gfns)
                    {
                        if (!memory.TryMap(gfn, out var page)) yield break;
                        try
                        {
                            yield return page.ReadQword(0);
                        }
                        finally
                        {
                            page.Unmap();
                        }
                    }
                }

                int Goto(HostMm mm, PageRefs refs, ulong hva, int tries)
                {
                again:
                    var pfn = mm.FollowPte(hva);
                    if (!refs.TryPin(pfn))
                    {
                        if (--tries > 0) goto again;
                        return -1;
                    }

                    refs.Unpin(pfn);
                    return 0;
                }

                string Switch(HostMm mm, PageRefs refs, ulong hva, int mode)
                {
                    var pfn = mm.GetUserPages(hva);
                    try
                    {
                        switch (mode)
                        {
                            case 0: return "zero";
                            case 1 when hva > 0: refs.MarkDirty(pfn); break;
                            default: throw new InvalidOperationException(mode switch { 2 => "two", _ => "other" });
                        }

                        try
                        {
                            refs.MarkAccessed(pfn);
                        }
                        catch (InvalidOperationException) when (mode > 1)
                        {
                            return "filtered";
                        }
                        finally
                        {
                            refs.Log(pfn);
                        }

                        return "done";
                    }
                    finally
                    {
                        refs.Unpin(pfn);
                    }
                }

                (Pfn, bool) Tuples(HostMm mm, ulong hva, Pfn? maybe, MappedPage? page)
                {
                    var (a, b) = (mm.Unannotated(hva), true);
                    ref var r = ref a;
                    var c = maybe ?? r;
                    var value = page?.ReadQword(0) ?? throw new ArgumentNullException(nameof(page));
                    Func<int, int> fact = null!;
                    fact = n => n <= 1 ? 1 : n * fact(n - 1);
                    static int Twice(int x) => x * 2;
                    return (c, b && value > (ulong)Twice(fact(3)));
                }
            }
            """);

    [Fact]
    public Task Constructors_initializers_properties_and_accessors_are_analysed() =>
        Verify.VerifyAsync("""
            using MmuGuard;

            class Owner
            {
                private Pfn _plain = {|MMU0009:new HostMm().FollowPte(0)|};
                [Pinned] private Pfn _pinned;

                Owner(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    refs.MarkDirty({|MMU0008:pfn|});
                    _pinned = mm.GetUserPages(hva);
                }

                Pfn Property
                {
                    set => _plain = {|MMU0009:new HostMm().FollowPte(value.Value)|};
                }
            }
            """);

    [Fact]
    public Task Constructor_with_an_initializer_reports_each_finding_once() =>
        Verify.VerifyAsync("""
            class Base
            {
                protected Base(Pfn pfn) { }
            }

            class Derived : Base
            {
                Derived(HostMm mm, PageRefs refs, ulong hva)
                    : base(mm.FollowPte(hva))
                {
                    var pfn = mm.FollowPte(hva);
                    refs.MarkDirty({|MMU0008:pfn|});
                }
            }
            """);
}
