using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.Bodies;

/// <summary>
/// The one walk behind every body filter of a compilation: the member declarations of its syntax trees and the
/// accessible members of the referenced assemblies that see the MmuGuard attributes, read once for both vocabularies
/// (the contracts of the flow rules, MMU0016 and the inference rules; the hardware-field sinks of MMU0022). Kept in a
/// <see cref="ConditionalWeakTable{TKey, TValue}"/> keyed by the compilation, like <see cref="CompilationContracts"/>,
/// and built under a lock on first use, so analyzers whose first bodies arrive together on several threads wait for
/// one walk instead of each doing it.
/// </summary>
internal sealed class CompilationBodies
{
    private static readonly ConditionalWeakTable<Compilation, CompilationBodies> Shared = new();

    private readonly Compilation _compilation;
    private readonly object _gate = new();
    private Walked? _walked;

    private CompilationBodies(Compilation compilation)
    {
        _compilation = compilation;
    }

    /// <summary>The shared walk of <paramref name="compilation"/>.</summary>
    public static CompilationBodies Of(Compilation compilation) =>
        Shared.GetValue(compilation, static created => new CompilationBodies(created));

    /// <summary>
    /// The filter of the members whose contract (from attributes) can make a body matter, plus <paramref name="extra"/>
    /// (the symbols a contracts file names, in any assembly).
    /// </summary>
    public BodyFilter ContractFilter(IEnumerable<ISymbol> extra, CancellationToken cancellationToken)
    {
        var walked = Walk(cancellationToken);
        var fileReach = new BodyFilterBuilder.Reach();
        foreach (var symbol in extra)
        {
            fileReach.Add(symbol is IParameterSymbol { ContainingSymbol: { } owner } ? owner : symbol);
        }

        return BodyFilterBuilder.Reach.ToFilter(walked.Source, walked.Contracts, fileReach);
    }

    /// <summary>The filter of the members with a <c>[HardwareFieldSink]</c> (or a parameter with it): MMU0022's bodies.</summary>
    public BodyFilter SinkFilter(CancellationToken cancellationToken)
    {
        var walked = Walk(cancellationToken);
        return BodyFilterBuilder.Reach.ToFilter(walked.Source, walked.Sinks);
    }

    private Walked Walk(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _walked) is { } walked)
        {
            return walked;
        }

        lock (_gate)
        {
            // A cancelled walk leaves nothing behind: the next caller starts it again.
            return _walked ??= Build(cancellationToken);
        }
    }

    private Walked Build(CancellationToken cancellationToken)
    {
        var contracts = CompilationContracts.Of(_compilation).Attributes;
        var hardware = HardwareFieldVocabulary.TryCreate(_compilation);
        Func<ISymbol, bool> carriesContract = symbol => ContractBodies.Carries(contracts, symbol);
        Func<ISymbol, bool>? carriesSink = hardware is null ? null : hardware.IsSinkMember;
        return new Walked(
            BodyFilterBuilder.ReadSource(_compilation, cancellationToken),
            BodyFilterBuilder.ReadMetadata(
                _compilation,
                contracts.Known.OwnershipAttributes,
                carriesContract,
                hardware is null ? Array.Empty<INamedTypeSymbol?>() : new INamedTypeSymbol?[] { hardware.HardwareFieldSink },
                carriesSink,
                cancellationToken));
    }

    private sealed class Walked
    {
        public Walked(BodyFilterBuilder.Reach source, (BodyFilterBuilder.Reach Contracts, BodyFilterBuilder.Reach Sinks) metadata)
        {
            Source = source;
            Contracts = metadata.Contracts;
            Sinks = metadata.Sinks;
        }

        /// <summary>Every member declaration of the compilation with an attribute in its signature (either vocabulary).</summary>
        public BodyFilterBuilder.Reach Source { get; }

        public BodyFilterBuilder.Reach Contracts { get; }

        public BodyFilterBuilder.Reach Sinks { get; }
    }
}
