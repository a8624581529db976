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
    /// The deterministic hint name of the generated file, e.g. <c>Sim.Nested.Vmcs02Pages.Mappings.g.cs</c>. Unique per
    /// owner: a namespace and a type of the same full name cannot coexist in one compilation.
    /// </summary>
    public string HintName => DisplayName + ".Mappings.g.cs";

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
