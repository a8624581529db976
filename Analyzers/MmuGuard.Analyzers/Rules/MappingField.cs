using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Rules;

/// <summary>A field that asks the bookkeeping generator for a mapping, with the kind(s) of mapping it asks for.</summary>
internal readonly struct MappingField
{
    public MappingField(IFieldSymbol field, bool outOfBand, bool notifierCovered)
    {
        Field = field;
        OutOfBand = outOfBand;
        NotifierCovered = notifierCovered;
    }

    public IFieldSymbol Field { get; }

    /// <summary>Marked <c>[OutOfBandMapping]</c>: the generated members pin the page.</summary>
    public bool OutOfBand { get; }

    /// <summary>Marked <c>[NotifierCoveredMapping]</c>: the generated members are invalidated by a notifier hook.</summary>
    public bool NotifierCovered { get; }
}
