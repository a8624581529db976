using System;
using System.Collections.Generic;
using MmuGuard.Host;
using Xunit;

namespace MmuGuard.Runtime.Tests.Host;

public sealed class MmuNotifierHubTests
{
    private static readonly HostRange Range = HostRange.OfPages(HostVirtualAddress.FromPage(16), 4);

    private readonly MmuNotifierHub _hub = new();

    [Fact]
    public void Every_subscriber_hears_start_then_end()
    {
        var calls = new List<string>();
        _hub.Register(new Recorder("a", calls));
        _hub.Register(new Recorder("b", calls));

        _hub.InvalidateRangeStart(Range);
        _hub.InvalidateRangeEnd(Range);

        Assert.Equal(new[] { "a start", "b start", "a end", "b end" }, calls);
    }

    [Fact]
    public void In_progress_counts_started_invalidations()
    {
        _hub.InvalidateRangeStart(Range);

        Assert.Equal(1, _hub.InProgress);
        _hub.InvalidateRangeEnd(Range);
        Assert.Equal(0, _hub.InProgress);
    }

    [Fact]
    public void Registering_twice_is_rejected()
    {
        var recorder = new Recorder("a", new List<string>());
        _hub.Register(recorder);

        Assert.Throws<InvalidOperationException>(() => _hub.Register(recorder));
    }

    [Fact]
    public void Subscribers_cannot_change_during_an_invalidation()
    {
        _hub.InvalidateRangeStart(Range);

        var error = Assert.Throws<InvalidOperationException>(() => _hub.Register(new Recorder("late", new List<string>())));

        Assert.Contains("in progress", error.Message);
    }

    [Fact]
    public void End_without_start_is_rejected()
    {
        Assert.Throws<InvalidOperationException>(() => _hub.InvalidateRangeEnd(Range));
    }

    private sealed class Recorder : IMmuNotifier
    {
        private readonly string _name;
        private readonly List<string> _calls;

        public Recorder(string name, List<string> calls)
        {
            _name = name;
            _calls = calls;
        }

        public void InvalidateRangeStart(HostRange range) => _calls.Add(_name + " start");

        public void InvalidateRangeEnd(HostRange range) => _calls.Add(_name + " end");
    }
}
