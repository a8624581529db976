using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using MmuGuard.Tests.Shared;
using Xunit.Sdk;

namespace MmuGuard.Generators.Tests.Infrastructure;

/// <summary>
/// A small stand-in for Verify (not served here) with its conventions: <c>Snapshots/{Class}.{Method}#{Hint}.verified.cs</c>
/// in the test project folder; on a mismatch the actual text goes to the matching <c>.received.cs</c> and the test
/// fails with a unified diff; <c>MMUGUARD_ACCEPT_SNAPSHOTS=1</c> accepts (overwrites the verified file).
/// </summary>
internal static class SnapshotAssert
{
    public const string AcceptVariable = "MMUGUARD_ACCEPT_SNAPSHOTS";

    public static void Matches(
        string actual,
        string hintName,
        [CallerFilePath] string testFile = "",
        [CallerMemberName] string testMethod = "")
    {
        var stem = $"{Path.GetFileNameWithoutExtension(testFile)}.{testMethod}#{Path.GetFileNameWithoutExtension(hintName)}";
        Matches(actual, Path.Combine(Directory, stem + ".verified.cs"), Path.Combine(Directory, stem + ".received.cs"));
    }

    /// <summary>
    /// <c>tests/Generators.Tests/Snapshots</c>, found from the repository root (<see cref="RepositoryRoot"/>). Not
    /// from <c>[CallerFilePath]</c>: CI builds (ContinuousIntegrationBuild) map source paths to <c>/_/</c>, which does
    /// not exist on disk; only the caller's file name is taken from it.
    /// </summary>
    public static string Directory => SnapshotDirectory.Value;

    private static readonly Lazy<string> SnapshotDirectory =
        new(() => RepositoryRoot.PathOf("tests", "Generators.Tests", "Snapshots"));

    public static void Matches(string actual, string verifiedPath, string receivedPath) =>
        Matches(actual, verifiedPath, receivedPath, accept: Environment.GetEnvironmentVariable(AcceptVariable) == "1");

    public static void Matches(string actual, string verifiedPath, string receivedPath, bool accept)
    {
        actual = Normalize(actual);
        if (accept)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(verifiedPath)!);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (verified == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        var reason = verified is null
            ? $"No verified snapshot at {verifiedPath}."
            : $"Generated source differs from {verifiedPath}:\n{UnifiedDiff(verified, actual)}";
        throw new XunitException(
            $"{reason}\nThe actual text is in {receivedPath}; run with {AcceptVariable}=1 to accept it.");
    }

    /// <summary>A unified diff (<c>-</c> verified, <c>+</c> received) of the changed lines with two lines of context.</summary>
    public static string UnifiedDiff(string verified, string received)
    {
        const int context = 2;
        var lines = InlineDiffBuilder.Diff(verified, received, ignoreWhiteSpace: false).Lines;
        var shown = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Type != ChangeType.Unchanged)
            {
                for (var j = Math.Max(0, i - context); j <= Math.Min(lines.Count - 1, i + context); j++)
                {
                    shown[j] = true;
                }
            }
        }

        var diff = new StringBuilder().Append("--- verified\n+++ received\n");
        for (var i = 0; i < lines.Count; i++)
        {
            if (!shown[i])
            {
                continue;
            }

            if (i == 0 || !shown[i - 1])
            {
                diff.Append("@@ diff line ").Append(i + 1).Append(" @@\n");
            }

            diff.Append(Prefix(lines[i].Type)).Append(lines[i].Text).Append('\n');
        }

        return diff.ToString();
    }

    private static string Prefix(ChangeType type) => type switch
    {
        ChangeType.Inserted => "+",
        ChangeType.Deleted => "-",
        _ => " ",
    };

    private static string Normalize(string text) => text.Replace("\r\n", "\n");
}
