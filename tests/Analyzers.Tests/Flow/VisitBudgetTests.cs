using MmuGuard.Analyzers.Flow;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Flow;

/// <summary>The per-body visit budget never makes the analysis go quiet without saying so (issue 8, N2).</summary>
public sealed class VisitBudgetTests
{
    private const string LoopingBody = """
        class Fault
        {
            void Touch(HostMm mm, PageRefs refs, ulong hva, int n)
            {
                var pfn = mm.FollowPte(hva);
                for (var i = 0; i < n; i++)
                {
                    refs.Pin(pfn);
                    refs.Unpin(pfn);
                }
            }
        }
        """;

    [Fact]
    public void An_exhausted_budget_records_that_the_body_was_not_analysed_and_nothing_else()
    {
        var events = FlowHarness.EventsOf(LoopingBody, "Touch", visitsPerTarget: 0, visitAllowance: 2);

        var only = Assert.Single(events);
        Assert.Equal(FlowEventKind.BodyNotAnalysed, only.Kind);
        Assert.Equal("Touch", only.ValueName);
    }

    [Fact]
    public void The_default_budget_analyses_the_same_body()
    {
        var events = FlowHarness.EventsOf(LoopingBody, "Touch");

        Assert.DoesNotContain(events, flowEvent => flowEvent.Kind == FlowEventKind.BodyNotAnalysed);
        Assert.Contains(events, flowEvent => flowEvent.Kind == FlowEventKind.UnconditionalPin);
    }
}
