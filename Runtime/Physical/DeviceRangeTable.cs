using System;
using System.Collections.Generic;

namespace MmuGuard.Physical;

/// <summary>The frames above RAM that are valid but have no page descriptor (MMIO, carve-outs), by registered range.</summary>
internal sealed class DeviceRangeTable
{
    private readonly List<DeviceRange> _ranges = new();
    private readonly int _ramPages;

    /// <summary>Creates an empty table for a machine whose RAM is frames <c>0 .. <paramref name="ramPages"/>-1</c>.</summary>
    public DeviceRangeTable(int ramPages)
    {
        _ramPages = ramPages;
    }

    /// <summary>Every registered range, in registration order.</summary>
    public IReadOnlyList<DeviceRange> All => _ranges;

    /// <summary>Adds a range after checking it is non-empty, above RAM, and clear of every other range.</summary>
    /// <exception cref="ArgumentException">The range is empty, overlaps RAM, wraps, or overlaps another range.</exception>
    public DeviceRange Register(Pfn first, ulong count, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (count == 0)
        {
            throw new ArgumentException($"Device range '{name}' is empty.", nameof(count));
        }

        if (first.Value < (ulong)_ramPages)
        {
            throw new ArgumentException(
                $"Device range '{name}' at {first} overlaps RAM (pfn 0x0..0x{_ramPages - 1:x}); device frames have no descriptor and must lie above RAM.",
                nameof(first));
        }

        if (first.Value + count < first.Value)
        {
            throw new ArgumentException($"Device range '{name}' at {first} with {count} frames wraps around the PFN space.", nameof(count));
        }

        foreach (var range in _ranges)
        {
            if (range.Overlaps(first.Value, count))
            {
                throw new ArgumentException($"Device range '{name}' at {first} overlaps device range '{range.Name}' at {range.First}.", nameof(first));
            }
        }

        var added = new DeviceRange(first, count, name);
        _ranges.Add(added);
        return added;
    }

    /// <summary>The range holding <paramref name="pfn"/>, if any.</summary>
    public bool TryFind(Pfn pfn, out DeviceRange found)
    {
        foreach (var range in _ranges)
        {
            if (range.Contains(pfn))
            {
                found = range;
                return true;
            }
        }

        found = default;
        return false;
    }

    /// <summary>The range holding <paramref name="pfn"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PFN is neither RAM nor in a registered range; the message names both.</exception>
    public DeviceRange Find(Pfn pfn)
    {
        if (TryFind(pfn, out var range))
        {
            return range;
        }

        throw new ArgumentOutOfRangeException(
            nameof(pfn),
            pfn,
            $"{pfn} is neither RAM (pfn 0x0..0x{_ramPages - 1:x}) nor in a registered device range.");
    }
}
