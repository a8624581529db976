using System;
using System.Collections.Generic;

namespace MmuGuard.Physical;

/// <summary>
/// The kinds of mapping that point at frames (host page tables, stage-2 tables, out-of-band maps, caches), by name,
/// and each frame's count of mappings, so a frame freed while mapped can be blamed on a mapping that still reaches it.
/// </summary>
internal sealed class MapperRegistry
{
    private readonly List<string> _names = new();
    private readonly int[] _mapCount;
    private readonly int[] _lastMapper;

    /// <summary>Creates a registry counting mappings in <paramref name="pages"/>' descriptors.</summary>
    public MapperRegistry(PageDescriptors pages)
    {
        _mapCount = pages.MapCount;
        _lastMapper = pages.LastMapper;
    }

    /// <summary>Registers a kind of mapping.</summary>
    public MapperId Register(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _names.Add(name);
        return new MapperId(_names.Count - 1);
    }

    /// <summary>The name <paramref name="mapper"/> was registered with.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id was not handed out by this registry.</exception>
    public string NameOf(MapperId mapper)
    {
        if ((uint)mapper.Value >= (uint)_names.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(mapper), mapper.Value, $"Mapper id {mapper.Value} was not registered with this physical memory ({_names.Count} mapper(s) registered).");
        }

        return _names[mapper.Value];
    }

    /// <summary>The name of the mapping that last pointed at frame <paramref name="index"/>.</summary>
    public string LastMapperOf(int index) => _names[_lastMapper[index]];

    /// <summary>Records one more mapping of frame <paramref name="index"/> by <paramref name="mapper"/>.</summary>
    public void Add(int index, MapperId mapper)
    {
        _mapCount[index]++;
        _lastMapper[index] = mapper.Value;
    }

    /// <summary>Records that <paramref name="mapper"/> no longer maps frame <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">No mapping of the frame is recorded (a mapping removed twice).</exception>
    public void Remove(int index, MapperId mapper)
    {
        if (_mapCount[index] == 0)
        {
            throw new InvalidOperationException($"pfn 0x{index:x} has no mapping recorded, yet {NameOf(mapper)} removes one: a mapping was removed twice.");
        }

        _mapCount[index]--;
    }
}
