using Microsoft.CodeAnalysis;

namespace MmuGuard.Shared;

/// <summary>A field that asks the bookkeeping generator for a mapping, with the kind(s) of mapping it asks for.</summary>
internal sealed class MarkedMappingField
{
    public MarkedMappingField(IFieldSymbol field, INamedTypeSymbol markingAttribute, bool outOfBand, bool notifierCovered)
    {
        Field = field;
        MarkingAttribute = markingAttribute;
        OutOfBand = outOfBand;
        NotifierCovered = notifierCovered;
        Stem = MappingNames.StemOf(field.Name);
    }

    public IFieldSymbol Field { get; }

    /// <summary>The mapping attribute's class: the generated code uses the <c>Pfn</c> of the assembly that declares it.</summary>
    public INamedTypeSymbol MarkingAttribute { get; }

    /// <summary>Marked <c>[OutOfBandMapping]</c>: the generated members pin the page.</summary>
    public bool OutOfBand { get; }

    /// <summary>Marked <c>[NotifierCoveredMapping]</c>: the generated members are invalidated by a notifier hook.</summary>
    public bool NotifierCovered { get; }

    /// <summary>The PascalCase stem of the generated member names, empty when the name leaves none.</summary>
    public string Stem { get; }

    /// <summary>The names generated for this field, or none when its two mapping attributes leave its kind open.</summary>
    public string[] GeneratedNames() =>
        OutOfBand == NotifierCovered || Stem.Length == 0
            ? new string[0]
            : OutOfBand ? MappingNames.PinnedMembers(Stem) : MappingNames.CoveredMembers(Stem);
}
