using Xunit;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>Every end-to-end test shares one packed package (and runs one at a time: each spawns whole builds).</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "Packed MmuGuard";
}
