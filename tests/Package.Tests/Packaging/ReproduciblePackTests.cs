using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Packaging;

/// <summary>The same sources packed twice, in different build folders, give the same package contents.</summary>
[Collection(PackageCollection.Name)]
public sealed class ReproduciblePackTests
{
    private readonly PackageFixture _fixture;

    public ReproduciblePackTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Packing_again_elsewhere_gives_byte_identical_entries()
    {
        // A second pack with separate artifacts and output folders: only the build location differs.
        var again = Path.Combine(_fixture.Root, "repack");
        _fixture.Pack(Path.Combine(again, "feed"), Path.Combine(again, "artifacts"));
        var first = Entries(_fixture.PackagePath);
        var second = Entries(Path.Combine(again, "feed", Path.GetFileName(_fixture.PackagePath)));

        // Every entry is compared, NuGet's own files (.nuspec, _rels, .psmdcp, [Content_Types].xml) included:
        // NuGet writes them deterministically. Only the zip's per-entry timestamps (not entry bytes) differ.
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        var differing = first.Keys.Where(name => !first[name].SequenceEqual(second[name])).ToArray();
        Assert.True(differing.Length == 0, "Entries differ between two packs: " + string.Join(", ", differing));
    }

    private static Dictionary<string, byte[]> Entries(string nupkg)
    {
        using var package = ZipFile.OpenRead(nupkg);
        var entries = new Dictionary<string, byte[]>();
        foreach (var entry in package.Entries)
        {
            using var stream = entry.Open();
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            entries.Add(entry.FullName, bytes.ToArray());
        }

        return entries;
    }
}
