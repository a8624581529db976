using MmuGuard.Tests.Shared;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>Files of the repository the tests were built from (the meta tests read its docs and release files).</summary>
internal static class RepositoryFiles
{
    public static string Root => RepositoryRoot.Path;

    public static string PathOf(params string[] relative) => RepositoryRoot.PathOf(relative);
}
