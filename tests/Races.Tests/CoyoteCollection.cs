using Xunit;

namespace MmuGuard.Races.Tests;

/// <summary>One Coyote testing engine at a time: explorations share the process and its two cores.</summary>
[CollectionDefinition(Name)]
public sealed class CoyoteCollection
{
    public const string Name = "Coyote explorations";
}
