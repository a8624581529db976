namespace MmuGuard.Runtime.Tests.ModelBased;

/// <summary>The operations a random run draws from.</summary>
internal enum Step
{
    AllocateBlock,
    FreeBlock,
    PinBlock,
    UnpinBlock,
    Access,
    ZapRam,
    ZapBar,
    RefillBar,
    MapOutOfBand,
    UnmapOutOfBand,
    RefreshCache,
}
