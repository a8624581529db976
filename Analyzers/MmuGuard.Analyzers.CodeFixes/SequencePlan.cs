using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>What MMU0004's fix inserts: around which resolve and install, through which provider, and which of the two checks.</summary>
internal sealed class SequencePlan
{
    public SequencePlan(StatementSyntax resolve, StatementSyntax install, SequenceProvider provider, string? existingSnapshot, bool addRetry)
    {
        Resolve = resolve;
        Install = install;
        Provider = provider;
        ExistingSnapshot = existingSnapshot;
        AddRetry = addRetry;
    }

    public StatementSyntax Resolve { get; }

    public StatementSyntax Install { get; }

    public SequenceProvider Provider { get; }

    /// <summary>The local holding a snapshot already taken before the resolve; <see langword="null"/> when one must be added.</summary>
    public string? ExistingSnapshot { get; }

    public bool AddRetry { get; }
}
