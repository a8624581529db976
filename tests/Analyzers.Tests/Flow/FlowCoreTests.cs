using System.Linq;
using MmuGuard.Analyzers.Flow;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>The facts the shared flow core records: the lattice, branch refinement, contexts and nesting.</summary>
public sealed class FlowCoreTests
{
    [Fact]
    public void Join_keeps_both_states_so_some_path_questions_are_exact()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                void M(HostMm mm, PageRefs refs, ulong hva, bool drop)
                {
                    var pfn = mm.GetUserPages(hva);
                    if (drop) refs.Unpin(pfn);
                    refs.MarkDirty(pfn);
                }
            }
            """, "M");

        var facts = FlowHarness.Single(events, FlowEventKind.RequirePin, "pfn").Facts;
        Assert.True(facts.Has(ValueFacts.Owned));
        Assert.True(facts.Has(ValueFacts.Released));
        Assert.False(facts.Has(ValueFacts.NotPinned));
    }

    [Fact]
    public void Success_edge_pins_and_clears_maybe_non_refcounted_failure_edge_keeps_the_borrow()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                void M(HostMm mm, PageRefs refs, Vmcs02 vmcs, ulong hva)
                {
                    var pfn = mm.FollowPte(hva);
                    if (refs.TryPin(pfn)) vmcs.WriteApicAccessAddress(pfn);
                    else refs.MarkDirty(pfn);
                }
            }
            """, "M");

        var success = FlowHarness.Single(events, FlowEventKind.OutOfBandSink, "pfn").Facts;
        Assert.Equal(ValueFacts.Owned, success & ValueFacts.PinStates);
        Assert.False(success.Has(ValueFacts.MayBeNonRefcounted));
        var failure = FlowHarness.Single(events, FlowEventKind.RequirePin, "pfn").Facts;
        Assert.Equal(ValueFacts.NotPinned, failure & ValueFacts.PinStates);
        Assert.True(failure.Has(ValueFacts.Borrowed | ValueFacts.MayBeNonRefcounted));
    }

    [Fact]
    public void Sequence_facts_follow_snapshot_resolve_and_the_no_retry_edge()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                void M(HostMm mm, Notifier notifier, Stage2 stage2, ulong hva)
                {
                    var seq = notifier.SnapshotSequence();
                    var pfn = mm.FollowPte(hva);
                    if (notifier.MustRetry(seq)) return;
                    stage2.Install(0, pfn);
                }
            }
            """, "M");

        var facts = FlowHarness.Single(events, FlowEventKind.NotifierCoveredSink, "pfn").Facts;
        Assert.True(facts.Has(ValueFacts.ResolvedHere));
        Assert.False(facts.Has(ValueFacts.ResolvedWithoutSnapshot | ValueFacts.RetryUnchecked | ValueFacts.RetryRequested));
    }

    [Fact]
    public void Copy_to_another_local_shares_the_obligation()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                void M(HostMm mm, PageRefs refs, ulong hva)
                {
                    var first = mm.GetUserPages(hva);
                    var second = first;
                    refs.Unpin(second);
                    refs.MarkDirty(first);
                }
            }
            """, "M");

        Assert.Equal(ValueFacts.Owned, FlowHarness.Single(events, FlowEventKind.Release, "second").Facts & ValueFacts.PinStates);
        Assert.Equal(ValueFacts.Released, FlowHarness.Single(events, FlowEventKind.RequirePin, "first").Facts & ValueFacts.PinStates);
        Assert.DoesNotContain(events, flowEvent => flowEvent.Kind == FlowEventKind.ObligationEnds);
    }

    [Fact]
    public void Finally_run_by_a_return_does_not_leak_its_state_into_the_fall_through_path()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                readonly object _gate = new object();

                void M(HostMm mm, PageRefs refs, ulong hva, bool early)
                {
                    var pfn = mm.GetUserPages(hva);
                    lock (_gate)
                    {
                        if (early)
                        {
                            refs.Unpin(pfn);
                            return;
                        }
                    }

                    refs.Unpin(pfn);
                }
            }
            """, "M");

        var late = events.Where(flowEvent => flowEvent.Kind == FlowEventKind.Release).OrderBy(flowEvent => flowEvent.Location.SourceSpan.Start).Last();
        Assert.Equal(ValueFacts.Owned, late.Facts & ValueFacts.PinStates);
        Assert.DoesNotContain(events, flowEvent => flowEvent.Kind == FlowEventKind.ObligationEnds);
    }

    [Fact]
    public void Exception_entry_to_a_catch_carries_the_state_before_each_call()
    {
        var events = FlowHarness.EventsOf("""
            using System;

            class C
            {
                void M(GuestMemory memory, PageRefs refs, Pfn pfn)
                {
                    var page = memory.Map(0);
                    try
                    {
                        page.ReadQword(0);
                        page.Unmap();
                    }
                    catch (InvalidOperationException)
                    {
                        refs.Log(pfn);
                    }
                }
            }
            """, "M");

        var leak = FlowHarness.Single(events, FlowEventKind.ObligationEnds, "page");
        Assert.True(leak.Facts.Has(ValueFacts.Owned));
    }

    [Fact]
    public void Nested_lambda_is_its_own_body_and_captured_values_are_unknown()
    {
        var events = FlowHarness.EventsOf("""
            using System;

            class C
            {
                Action M(HostMm mm, PageRefs refs, ulong hva)
                {
                    var outer = mm.FollowPte(hva);
                    return () =>
                    {
                        refs.MarkDirty(outer);
                        var inner = mm.FollowPte(hva);
                        refs.MarkDirty(inner);
                    };
                }
            }
            """, "M");

        Assert.Equal(ValueFacts.None, FlowHarness.Single(events, FlowEventKind.RequirePin, "outer").Facts);
        Assert.True(FlowHarness.Single(events, FlowEventKind.RequirePin, "inner").Facts.Has(ValueFacts.NotPinned));
    }

    [Fact]
    public void Body_without_annotated_symbols_records_nothing()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                int M(int a, int b)
                {
                    var sum = 0;
                    for (var i = a; i < b; i++) sum += i;
                    return sum;
                }
            }
            """, "M");

        Assert.Empty(events);
    }

    [Fact]
    public void Compilation_without_the_attributes_gets_no_flow()
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Plain");
        Assert.Null(CompilationFlow.Create(compilation));
    }

    [Fact]
    public void Compilation_that_sees_the_attributes_gets_a_flow()
    {
        var compilation = FlowHarness.Compile("class C { }");
        Assert.NotNull(CompilationFlow.Create(compilation));
    }

    [Fact]
    public void Deconstruction_makes_its_targets_unknown_after_losing_their_pins()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                void M(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    bool fresh;
                    (pfn, fresh) = (mm.Unannotated(hva), true);
                    refs.Unpin(pfn);
                }
            }
            """, "M");

        Assert.True(FlowHarness.Single(events, FlowEventKind.ObligationEnds, "pfn").Facts.Has(ValueFacts.Owned));
        Assert.Equal(ValueFacts.None, FlowHarness.Single(events, FlowEventKind.Release, "pfn").Facts);
    }

    [Fact]
    public void Ref_local_takes_over_the_tracking_of_its_target()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                void M(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pfn = mm.GetUserPages(hva);
                    ref var alias = ref pfn;
                    refs.Unpin(alias);
                }
            }
            """, "M");

        Assert.Equal(ValueFacts.Owned, FlowHarness.Single(events, FlowEventKind.Release, "alias").Facts & ValueFacts.PinStates);
        Assert.DoesNotContain(events, flowEvent => flowEvent.Kind == FlowEventKind.ObligationEnds);
    }

    [Fact]
    public void Does_not_return_if_assertion_continues_only_on_the_success_edge()
    {
        var events = FlowHarness.EventsOf("""
            using System.Diagnostics.CodeAnalysis;

            static class Check
            {
                public static void True([DoesNotReturnIf(false)] bool condition) { }

                public static void False([DoesNotReturnIf(true)] bool condition) { }
            }

            class C
            {
                void M(HostMm mm, PageRefs refs, ulong hva)
                {
                    var pinned = mm.FollowPte(hva);
                    Check.True(refs.TryPin(pinned));
                    refs.MarkDirty(pinned);
                    var refused = mm.FollowPte(hva);
                    Check.False(refs.TryPin(refused));
                    refs.MarkAccessed(refused);
                }
            }
            """, "M");

        Assert.Equal(ValueFacts.Owned, FlowHarness.Single(events, FlowEventKind.RequirePin, "pinned").Facts & ValueFacts.PinStates);
        Assert.Equal(ValueFacts.NotPinned, FlowHarness.Single(events, FlowEventKind.RequirePin, "refused").Facts & ValueFacts.PinStates);
    }

    [Fact]
    public void Discarded_try_pin_leaves_its_values_unknown()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                void M(GuestMemory memory)
                {
                    memory.TryMap(0, out var page);
                    page.ReadQword(0);
                }
            }
            """, "M");

        Assert.Single(events, flowEvent => flowEvent.Kind == FlowEventKind.PinOutcomeDiscarded);
        Assert.Equal(ValueFacts.None, FlowHarness.Single(events, FlowEventKind.RequirePin, "page").Facts & ValueFacts.PinStates);
        Assert.DoesNotContain(events, flowEvent => flowEvent.Kind == FlowEventKind.ObligationEnds);
    }

    [Fact]
    public void Return_through_a_finally_that_nests_its_own_finally_resumes_at_the_exit_only()
    {
        var events = FlowHarness.EventsOf("""
            class C
            {
                void M(HostMm mm, PageRefs refs, ulong hva, bool early)
                {
                    var pfn = mm.GetUserPages(hva);
                    try
                    {
                        if (early) return;
                    }
                    finally
                    {
                        try { refs.Log(pfn); }
                        finally { refs.Log(pfn); }
                    }

                    refs.Unpin(pfn);
                }
            }
            """, "M");

        Assert.True(FlowHarness.Single(events, FlowEventKind.ObligationEnds, "pfn").Facts.Has(ValueFacts.Owned));
        Assert.Equal(ValueFacts.Owned, FlowHarness.Single(events, FlowEventKind.Release, "pfn").Facts & ValueFacts.PinStates);
    }
}
