namespace MmuGuard.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one type's bookkeeping, and nothing else: no symbols, syntax, locations or
/// compilation, so the incremental pipeline can compare it by value.
/// </summary>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">The partial types the owner is nested in, outermost first.</param>
/// <param name="Type">The owner itself.</param>
/// <param name="DisplayName">The owner's fully qualified name without <c>global::</c>, as the ledger reports it.</param>
/// <param name="Disposable">Whether the owner opted in to <c>IDisposable</c>.</param>
/// <param name="Members">The marked fields in declaration order.</param>
/// <param name="DeclaresAutoLayout">
/// Whether the generated part must declare <c>[StructLayout(LayoutKind.Auto)]</c>: a struct whose own declaration
/// leaves the layout sequential would otherwise warn (CS0282) about fields spread over partial declarations.
/// </param>
internal sealed record MappingOwnerModel(
    string Namespace,
    EquatableArray<TypeDeclarationModel> ContainingTypes,
    TypeDeclarationModel Type,
    string DisplayName,
    bool Disposable,
    EquatableArray<MappingMemberModel> Members,
    bool DeclaresAutoLayout)
{
    /// <summary>
    /// Which of the owners whose names differ only in letter case this one is (0 for the first in ordinal order, and
    /// for every owner whose name no other shares): hint names are compared ignoring case (CS8785 otherwise).
    /// </summary>
    public int CaseVariant { get; init; }

    /// <summary>
    /// The deterministic hint name of the generated file, e.g. <c>Sim.Nested.Vmcs02Pages.Mappings.g.cs</c>, or
    /// <c>Sim.Vmcs.2.Mappings.g.cs</c> for the second of <c>Sim.VMCS</c> and <c>Sim.Vmcs</c>. Unique per owner ignoring
    /// case: a namespace and a type of the same full name cannot coexist in one compilation, and no identifier is a
    /// number.
    /// </summary>
    public string HintName => DisplayName + (CaseVariant == 0 ? string.Empty : "." + (CaseVariant + 1)) + ".Mappings.g.cs";

    /// <summary>The number of pinned (out-of-band) members, which is the pin ledger's slot count.</summary>
    public int PinnedCount => CountOf(MappingKind.Pinned);

    /// <summary>The number of notifier-covered members.</summary>
    public int CoveredCount => CountOf(MappingKind.NotifierCovered);

    private int CountOf(MappingKind kind)
    {
        var count = 0;
        foreach (var member in Members)
        {
            if (member.Kind == kind)
            {
                count++;
            }
        }

        return count;
    }
}
