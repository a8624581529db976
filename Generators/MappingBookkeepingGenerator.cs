using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MmuGuard.Generators.Emit;
using MmuGuard.Generators.Model;
using MmuGuard.Generators.Reading;
using MmuGuard.Shared;

namespace MmuGuard.Generators;

/// <summary>
/// Writes the pin/unpin bookkeeping KVM writes by hand around <c>kvm_vcpu_map</c>/<c>kvm_vcpu_unmap</c>, and the
/// refresh/invalidate plumbing of a PFN cache, for the fields a partial type marks <c>[OutOfBandMapping]</c> or
/// <c>[NotifierCoveredMapping]</c>.
/// </summary>
/// <remarks>
/// One pipeline per field attribute; each yields an owner only from its first marked field, so a type found through
/// both attributes is still generated once. Both pipelines meet in one step because hint names must differ ignoring
/// case across every owner the generator writes, and only a step that sees the owners of both pipelines can number
/// <c>Sim.Vmcs</c> (pinned mappings) and <c>SIM.Vmcs</c> (notifier-covered ones) apart. Shapes the generator cannot
/// serve yield nothing: the analyzer reports them.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class MappingBookkeepingGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var outOfBandOwners = OwnersMarkedBy(context, GenerationAttributeNames.OutOfBandMappingMetadataName)
            .WithTrackingName(TrackingNames.OutOfBandOwners);
        var coveredOwners = OwnersMarkedBy(context, GenerationAttributeNames.NotifierCoveredMappingMetadataName)
            .WithTrackingName(TrackingNames.CoveredOwners);

        // Each served owner becomes one item again after the merge, compared by value, so an unchanged owner is
        // "Unchanged" here and its source output does not run.
        var served = outOfBandOwners.Collect()
            .Combine(coveredOwners.Collect())
            .SelectMany(static (owners, _) => Served(owners.Left, owners.Right))
            .WithTrackingName(TrackingNames.ServedOwners);

        context.RegisterSourceOutput(
            served,
            static (output, owner) => output.AddSource(owner.HintName, MappingOwnerEmitter.Emit(owner)));
    }

    private static IncrementalValuesProvider<MappingOwnerModel?> OwnersMarkedBy(
        IncrementalGeneratorInitializationContext context, string attributeMetadataName) =>
        context.SyntaxProvider.ForAttributeWithMetadataName(
            attributeMetadataName,
            static (node, _) => node is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax },
            static (attributeContext, cancellationToken) =>
                MappingOwnerReader.ReadIfFirstMarkedField(attributeContext.TargetSymbol, cancellationToken));

    private static ImmutableArray<MappingOwnerModel> Served(
        ImmutableArray<MappingOwnerModel?> outOfBandOwners, ImmutableArray<MappingOwnerModel?> coveredOwners)
    {
        var served = new List<MappingOwnerModel>();
        foreach (var owner in outOfBandOwners.Concat(coveredOwners))
        {
            if (owner is not null)
            {
                served.Add(owner);
            }
        }

        return WithCaseInsensitiveHintNames(served);
    }

    /// <summary>
    /// Numbers the owners whose names differ only in letter case (<c>Sim.Vmcs</c>, <c>Sim.VMCS</c>, or namespaces
    /// <c>Sim</c>/<c>SIM</c>) in ordinal order of their names, so their hint names differ ignoring case, as the driver
    /// compares them, and do not depend on the order the pipelines found the owners in.
    /// </summary>
    private static ImmutableArray<MappingOwnerModel> WithCaseInsensitiveHintNames(List<MappingOwnerModel> served)
    {
        var variants = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var numbered = ImmutableArray.CreateBuilder<MappingOwnerModel>(served.Count);
        foreach (var owner in served.OrderBy(owner => owner.DisplayName, StringComparer.Ordinal))
        {
            variants.TryGetValue(owner.DisplayName, out var variant);
            variants[owner.DisplayName] = variant + 1;
            numbered.Add(variant == 0 ? owner : owner with { CaseVariant = variant });
        }

        return numbered.MoveToImmutable();
    }
}
