using Microsoft.CodeAnalysis;

namespace MmuGuard.Benchmarks;

/// <summary>
/// The floor under <see cref="GeneratorBenchmarks"/>: the same two <c>ForAttributeWithMetadataName</c> pipelines over
/// the same attributes, with a transform that only names the field and no output. What the bookkeeping generator
/// costs above this is its own reading and emission. Driven directly, so it carries no [Generator] attribute.
/// </summary>
public sealed class GeneratorFloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var outOfBand = context.SyntaxProvider.ForAttributeWithMetadataName(
            "MmuGuard.OutOfBandMappingAttribute", static (_, _) => true, static (field, _) => field.TargetSymbol.Name);
        var covered = context.SyntaxProvider.ForAttributeWithMetadataName(
            "MmuGuard.NotifierCoveredMappingAttribute", static (_, _) => true, static (field, _) => field.TargetSymbol.Name);
        context.RegisterSourceOutput(outOfBand.Collect().Combine(covered.Collect()), static (_, _) => { });
    }
}
