using System;
using MmuGuard.Host;
using Xunit;

namespace MmuGuard.Runtime.Tests.Host;

public sealed class InvalidationSequenceTests
{
    private readonly InvalidationSequence _sequence = new();

    [Fact]
    public void No_retry_when_nothing_was_invalidated_since_the_snapshot()
    {
        var snapshot = _sequence.Snapshot();

        Assert.False(_sequence.MustRetry(snapshot));
    }

    [Fact]
    public void Retry_while_an_invalidation_is_in_progress()
    {
        var snapshot = _sequence.Snapshot();

        _sequence.Begin();

        Assert.True(_sequence.MustRetry(snapshot));
    }

    [Fact]
    public void Retry_after_an_invalidation_completed_since_the_snapshot()
    {
        var snapshot = _sequence.Snapshot();
        _sequence.Begin();

        _sequence.End();

        Assert.True(_sequence.MustRetry(snapshot));
        Assert.False(_sequence.MustRetry(_sequence.Snapshot()));
    }

    [Fact]
    public void Ending_an_invalidation_that_never_started_throws()
    {
        Assert.Throws<InvalidOperationException>(() => _sequence.End());
    }
}
