using System;
using System.IO;
using MmuGuard.Generators.Tests.Infrastructure;
using Xunit;
using Xunit.Sdk;

namespace MmuGuard.Generators.Tests;

/// <summary>The in-repo snapshot helper keeps Verify's contract: received file and diff on a mismatch, accept on request.</summary>
public sealed class SnapshotAssertTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mmuguard-snapshots").FullName;

    private string Verified => Path.Combine(_directory, "Owner.verified.cs");

    private string Received => Path.Combine(_directory, "Owner.received.cs");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Mismatch_writes_the_received_file_and_fails_with_a_unified_diff()
    {
        File.WriteAllText(Verified, "partial class A\n{\n    int x;\n}\n");

        var failure = Assert.Throws<XunitException>(
            () => SnapshotAssert.Matches("partial class A\n{\n    int y;\n}\n", Verified, Received, accept: false));

        Assert.Equal("partial class A\n{\n    int y;\n}\n", File.ReadAllText(Received));
        Assert.Contains("--- verified\n+++ received\n", failure.Message);
        Assert.Contains("-    int x;\n+    int y;\n", failure.Message);
    }

    [Fact]
    public void Missing_verified_file_fails_naming_it()
    {
        var failure = Assert.Throws<XunitException>(() => SnapshotAssert.Matches("class A { }\n", Verified, Received, accept: false));

        Assert.Contains(Verified, failure.Message);
        Assert.True(File.Exists(Received));
    }

    [Fact]
    public void Match_removes_a_stale_received_file()
    {
        File.WriteAllText(Verified, "class A { }\n");
        File.WriteAllText(Received, "class B { }\n");

        SnapshotAssert.Matches("class A { }\r\n", Verified, Received, accept: false);

        Assert.False(File.Exists(Received));
    }

    [Fact]
    public void Accept_overwrites_the_verified_file()
    {
        File.WriteAllText(Verified, "class A { }\n");

        SnapshotAssert.Matches("class B { }\n", Verified, Received, accept: true);

        Assert.Equal("class B { }\n", File.ReadAllText(Verified));
        Assert.False(File.Exists(Received));
    }

    [Fact]
    public void The_snapshot_folder_is_found_without_compiled_in_source_paths() =>
        Assert.True(
            System.IO.Directory.GetFiles(SnapshotAssert.Directory, "*.verified.cs").Length >= 8,
            "expected the verified snapshots in " + SnapshotAssert.Directory);
}
