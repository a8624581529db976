using System;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Infrastructure;

/// <summary>Derives a test source from a base one by exact edits, so a pair like "buggy / fixed" states only its difference.</summary>
internal static class SourceVariant
{
    /// <summary>Applies each (from, to) edit once; every <c>from</c> must occur in the source, so a stale edit fails loudly.</summary>
    public static string Apply(string source, params (string From, string To)[] edits)
    {
        foreach (var (from, to) in edits)
        {
            Assert.Contains(from, source, StringComparison.Ordinal);
            source = source.Replace(from, to, StringComparison.Ordinal);
        }

        return source;
    }
}
