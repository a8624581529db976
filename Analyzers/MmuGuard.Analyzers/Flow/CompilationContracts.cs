using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Contracts;

namespace MmuGuard.Analyzers.Flow;

/// <summary>
/// The contract caches of one compilation, shared by every MmuGuard analyzer that runs on it: the attribute lookups
/// (<see cref="KnownSymbols"/>), the contracts as written in attributes (what MMU0010 judges) and the contracts
/// with the compilation's contracts files (what the flow rules and MMU0016 apply). Kept in a
/// <see cref="ConditionalWeakTable{TKey, TValue}"/> keyed by the compilation, as roslyn-analyzers'
/// <c>WellKnownTypeProvider.GetOrCreate</c> keeps its per-compilation caches: the entry lives exactly as long as the
/// compilation, nothing mutable is reachable from it but thread-safe caches, and analyzers that share no host still
/// read each symbol's attributes once (docs/design/flow.md, "One analysis per body, one host for nine rules").
/// </summary>
internal sealed class CompilationContracts
{
    private static readonly ConditionalWeakTable<Compilation, CompilationContracts> Shared = new();

    private readonly Compilation _compilation;
    private FileContracts? _withFile;

    private CompilationContracts(Compilation compilation)
    {
        _compilation = compilation;
        Known = KnownSymbols.Create(compilation);
        Attributes = new ContractCache(Known);
    }

    public KnownSymbols Known { get; }

    /// <summary>The contracts written as attributes, without contracts files.</summary>
    public ContractCache Attributes { get; }

    /// <summary>The shared caches of <paramref name="compilation"/>.</summary>
    public static CompilationContracts Of(Compilation compilation) =>
        Shared.GetValue(compilation, static created => new CompilationContracts(created));

    /// <summary>
    /// The contracts from attributes and from the contracts files among <paramref name="options"/>' additional
    /// files (<see cref="Attributes"/> itself when no file declares a contract). Analyzers of one build see the same additional files and share one cache; a caller with other files
    /// (an IDE host may hand analyzers different options) gets a cache of its own.
    /// </summary>
    public ContractCache WithContractsFiles(AnalyzerOptions options, CancellationToken cancellationToken) =>
        Read(options, cancellationToken).Contracts;

    /// <summary>
    /// The contracts files among <paramref name="options"/>' additional files as parsed once for this compilation:
    /// their contracts and their problems (what MMU0018–MMU0021 report on the file's lines).
    /// </summary>
    public ContractsFile ContractsFiles(AnalyzerOptions options, CancellationToken cancellationToken) =>
        Read(options, cancellationToken).File;

    private FileContracts Read(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var files = options.AdditionalFiles;
        if (Volatile.Read(ref _withFile) is { } known && known.Files == files)
        {
            return known;
        }

        var file = ContractsFileParser.Read(_compilation, Known, files, cancellationToken);
        var created = new FileContracts(files, file, file.IsEmpty ? Attributes : new ContractCache(Known, file));
        return (Interlocked.CompareExchange(ref _withFile, created, null) ?? created) is { } shared && shared.Files == files
            ? shared
            : created;
    }

    private sealed class FileContracts
    {
        public FileContracts(ImmutableArray<AdditionalText> files, ContractsFile file, ContractCache contracts)
        {
            Files = files;
            File = file;
            Contracts = contracts;
        }

        public ImmutableArray<AdditionalText> Files { get; }

        public ContractsFile File { get; }

        public ContractCache Contracts { get; }
    }
}
