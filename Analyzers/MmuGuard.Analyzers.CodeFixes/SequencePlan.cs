using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.CodeFixes;

/// <summary>What MMU0004's fix changes: around which resolve and install, through which provider, and which of the checks.</summary>
/// <param name="Resolve">The statement that resolves the PFN.</param>
/// <param name="Install">The statement that installs it into the notifier-covered sink.</param>
/// <param name="Provider">Where the snapshot and retry methods are reached.</param>
/// <param name="ExistingSnapshot">The local holding a snapshot already taken before the resolve; <see langword="null"/> when one must be added.</param>
/// <param name="AddRetry">Whether the install still needs a retry check in front of it.</param>
/// <param name="LateRetryChecks">Retry checks between the resolve and the install whose snapshot must become the one taken before the resolve.</param>
/// <param name="FreeName">The name for a new snapshot local that clashes with nothing in the member.</param>
/// <param name="ReleaseOnRetry">The release of the value's pin the retry exit runs first, when the value holds one.</param>
internal sealed record SequencePlan(
    StatementSyntax Resolve,
    StatementSyntax Install,
    SequenceProvider Provider,
    string? ExistingSnapshot,
    bool AddRetry,
    ImmutableArray<InvocationExpressionSyntax> LateRetryChecks,
    string FreeName,
    ExpressionStatementSyntax? ReleaseOnRetry);
