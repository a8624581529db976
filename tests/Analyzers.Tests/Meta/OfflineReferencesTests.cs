using System;
using System.IO;
using System.Linq;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>
/// After <c>dotnet restore</c> the tests need no network: no test may resolve Microsoft.CodeAnalysis.Testing's
/// package-based reference assemblies (<c>ReferenceAssemblies.Net.*</c>), which download a reference pack at test
/// time. Tests use <c>Infrastructure.Net80References</c> instead.
/// </summary>
public sealed class OfflineReferencesTests
{
    [Fact]
    public void No_test_resolves_reference_assemblies_from_a_package_feed()
    {
        var forbidden = "ReferenceAssemblies" + ".Net.";
        var offenders = Directory.EnumerateFiles(RepositoryRoot.PathOf("tests"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(path => File.ReadLines(path).Any(line => line.Contains(forbidden, StringComparison.Ordinal)
                && !line.TrimStart().StartsWith("///", StringComparison.Ordinal)))
            .ToArray();
        Assert.True(offenders.Length == 0, "Resolve reference assemblies offline (Net80References): " + string.Join(", ", offenders));
    }
}
