using MmuGuard.Physical;
using MmuGuard.Runtime.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Runtime.Tests.Physical;

/// <summary>
/// The three try-operations (<c>get_page_unless_zero</c> on the head, on the raw page, and the FOLL_PIN grab) refuse
/// every frame that holds no reference to add to, quietly: a refusal is an answer, not a bug to report.
/// </summary>
public sealed class TryOperationTests : MemoryTestBase
{
    private const string NonCompoundTail = "non-compound tail";
    private const string FreeFrame = "free frame";
    private const string DeviceFrame = "device frame";
    private const string NoFrame = "pfn that names no frame";

    public static TheoryData<string, string> RefusedFrames()
    {
        var data = new TheoryData<string, string>();
        foreach (var operation in new[] { nameof(PhysicalMemory.TryPin), nameof(PhysicalMemory.TryGetRaw), nameof(PhysicalMemory.TryPinUserPage) })
        {
            foreach (var frame in new[] { NonCompoundTail, FreeFrame, DeviceFrame, NoFrame })
            {
                data.Add(operation, frame);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedFrames))]
    public void Try_operation_refuses_a_frame_with_no_reference_to_add_to(string operation, string frame)
    {
        var pfn = FrameOf(frame);

        Assert.False(Try(operation, pfn));
        Assert.Empty(Machine.Findings);
        if (Memory.IsKnown(pfn))
        {
            Assert.Equal(0, Memory.RefCount(pfn));
        }
    }

    [Theory]
    [InlineData(nameof(PhysicalMemory.TryPin))]
    [InlineData(nameof(PhysicalMemory.TryPinUserPage))]
    public void Try_pin_refuses_reserved_memory(string operation)
    {
        Memory.Reserve(new Pfn(4), 1);

        Assert.False(Try(operation, new Pfn(4)));
        Assert.Equal(1, Memory.RefCount(new Pfn(4)));
    }

    private Pfn FrameOf(string frame)
    {
        switch (frame)
        {
            case NonCompoundTail:
                return Memory.Allocate(order: 1, AllocationKind.NonCompound).Add(1);
            case FreeFrame:
                return new Pfn(5);
            case DeviceFrame:
                Memory.RegisterDeviceRange(TestMachine.MmioBase, 1, "mmio");
                return TestMachine.MmioBase;
            default:
                return new Pfn(0x5000);
        }
    }

    private bool Try(string operation, Pfn pfn) => operation switch
    {
        nameof(PhysicalMemory.TryPin) => Memory.TryPin(pfn),
        nameof(PhysicalMemory.TryGetRaw) => Memory.TryGetRaw(pfn),
        _ => Memory.TryPinUserPage(pfn),
    };
}
