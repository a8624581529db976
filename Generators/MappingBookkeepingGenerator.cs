using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MmuGuard.Generators.Emit;
using MmuGuard.Generators.Model;
using MmuGuard.Generators.Reading;

namespace MmuGuard.Generators;

/// <summary>
/// Writes the pin/unpin bookkeeping KVM writes by hand around <c>kvm_vcpu_map</c>/<c>kvm_vcpu_unmap</c>, and the
/// refresh/invalidate plumbing of a PFN cache, for the fields a partial type marks <c>[OutOfBandMapping]</c> or
/// <c>[NotifierCoveredMapping]</c>.
/// </summary>
/// <remarks>
/// One pipeline per field attribute; each yields an owner only from its first marked field, so a type found through
/// both attributes is still generated once. Shapes the generator cannot serve yield nothing: the analyzer reports them.
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

        RegisterOutput(context, outOfBandOwners);
        RegisterOutput(context, coveredOwners);
    }

    private static IncrementalValuesProvider<MappingOwnerModel?> OwnersMarkedBy(
        IncrementalGeneratorInitializationContext context, string attributeMetadataName) =>
        context.SyntaxProvider.ForAttributeWithMetadataName(
            attributeMetadataName,
            static (node, _) => node is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax },
            static (attributeContext, cancellationToken) =>
                MappingOwnerReader.ReadIfFirstMarkedField(attributeContext.TargetSymbol, cancellationToken));

    private static void RegisterOutput(
        IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<MappingOwnerModel?> owners)
    {
        var served = owners
            .Where(static owner => owner is not null)
            .Select(static (owner, _) => owner!)
            .WithTrackingName(TrackingNames.ServedOwners);
        context.RegisterSourceOutput(
            served,
            static (output, owner) => output.AddSource(owner.HintName, MappingOwnerEmitter.Emit(owner)));
    }
}
