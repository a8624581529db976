using MmuGuard.Physical;

namespace MmuGuard.Runtime.Tests.Infrastructure;

/// <summary>Tests of physical memory alone: a host of 1024 frames with a recording sanitizer.</summary>
public abstract class MemoryTestBase
{
    protected TestMachine Machine { get; } = new(pages: 1024);

    protected PhysicalMemory Memory => Machine.Memory;
}
