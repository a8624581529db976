using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>What MMU0004's fix changes: around which resolve and install, through which provider, and which of the checks.</summary>
internal sealed class SequencePlan
{
    public SequencePlan(
        StatementSyntax resolve,
        StatementSyntax install,
        SequenceProvider provider,
        string? existingSnapshot,
        bool addRetry,
        ImmutableArray<InvocationExpressionSyntax> lateRetryChecks,
        string freeName)
    {
        Resolve = resolve;
        Install = install;
        Provider = provider;
        ExistingSnapshot = existingSnapshot;
        AddRetry = addRetry;
        LateRetryChecks = lateRetryChecks;
        FreeName = freeName;
    }

    public StatementSyntax Resolve { get; }

    public StatementSyntax Install { get; }

    public SequenceProvider Provider { get; }

    /// <summary>The local holding a snapshot already taken before the resolve; <see langword="null"/> when one must be added.</summary>
    public string? ExistingSnapshot { get; }

    public bool AddRetry { get; }

    /// <summary>Retry checks between the resolve and the install whose snapshot must become the one taken before the resolve.</summary>
    public ImmutableArray<InvocationExpressionSyntax> LateRetryChecks { get; }

    /// <summary>The name for a new snapshot local that clashes with nothing in the member.</summary>
    public string FreeName { get; }
}
