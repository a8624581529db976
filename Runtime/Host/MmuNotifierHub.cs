using System;
using System.Collections.Generic;

namespace MmuGuard.Host;

/// <summary>The MMU-notifier subscribers of one address space, and the start/end calls made around every host change.</summary>
public sealed class MmuNotifierHub
{
    private readonly List<IMmuNotifier> _subscribers = new();

    /// <summary>How many invalidations have started and not yet ended.</summary>
    public int InProgress { get; private set; }

    /// <summary>The number of subscribers.</summary>
    public int Count => _subscribers.Count;

    /// <summary>Subscribes <paramref name="notifier"/> (<c>mmu_notifier_register</c>).</summary>
    /// <exception cref="InvalidOperationException">It is already subscribed, or an invalidation is running.</exception>
    public void Register(IMmuNotifier notifier)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ThrowIfInvalidating(nameof(Register));
        if (_subscribers.Contains(notifier))
        {
            throw new InvalidOperationException("This notifier is already registered with the address space.");
        }

        _subscribers.Add(notifier);
    }

    /// <summary>Unsubscribes <paramref name="notifier"/>; returns whether it was subscribed.</summary>
    public bool Unregister(IMmuNotifier notifier)
    {
        ThrowIfInvalidating(nameof(Unregister));
        return _subscribers.Remove(notifier);
    }

    /// <summary>Tells every subscriber that <paramref name="range"/> is about to change.</summary>
    public void InvalidateRangeStart(HostRange range)
    {
        InProgress++;
        for (var i = 0; i < _subscribers.Count; i++)
        {
            _subscribers[i].InvalidateRangeStart(range);
        }
    }

    /// <summary>Tells every subscriber that the change to <paramref name="range"/> is done.</summary>
    /// <exception cref="InvalidOperationException">No invalidation is in progress.</exception>
    public void InvalidateRangeEnd(HostRange range)
    {
        if (InProgress == 0)
        {
            throw new InvalidOperationException($"InvalidateRangeEnd for {range} without a matching InvalidateRangeStart.");
        }

        for (var i = 0; i < _subscribers.Count; i++)
        {
            _subscribers[i].InvalidateRangeEnd(range);
        }

        InProgress--;
    }

    private void ThrowIfInvalidating(string operation)
    {
        if (InProgress != 0)
        {
            throw new InvalidOperationException($"{operation} while an invalidation is in progress: the subscriber set must not change between start and end.");
        }
    }
}
