namespace MmuGuard.Samples.World;

internal static class WorldMarker
{
}
