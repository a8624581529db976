using Microsoft.CodeAnalysis;

namespace MmuGuard.Shared;

/// <summary>A field that asks the bookkeeping generator for a mapping, with the kind(s) of mapping it asks for.</summary>
/// <param name="Field">The marked field.</param>
/// <param name="MarkingAttribute">The mapping attribute's class: the generated code uses the <c>Pfn</c> of the assembly that declares it.</param>
/// <param name="OutOfBand">Marked <c>[OutOfBandMapping]</c>: the generated members pin the page.</param>
/// <param name="NotifierCovered">Marked <c>[NotifierCoveredMapping]</c>: the generated members are invalidated by a notifier hook.</param>
internal sealed record MarkedMappingField(IFieldSymbol Field, INamedTypeSymbol MarkingAttribute, bool OutOfBand, bool NotifierCovered)
{
    /// <summary>The PascalCase stem of the generated member names, empty when the name leaves none.</summary>
    public string Stem { get; } = MappingNames.StemOf(Field.Name);

    /// <summary>The names generated for this field, or none when its two mapping attributes leave its kind open.</summary>
    public string[] GeneratedNames() =>
        OutOfBand == NotifierCovered || Stem.Length == 0
            ? new string[0]
            : OutOfBand ? MappingNames.PinnedMembers(Stem) : MappingNames.CoveredMembers(Stem);
}
