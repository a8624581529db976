namespace MmuGuard.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one type's bookkeeping, and nothing else: no symbols, syntax, locations or
/// compilation, so the incremental pipeline can compare it by value.
/// </summary>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">The partial types the owner is nested in, outermost first.</param>
/// <param name="Type">The owner itself.</param>
/// <param name="DisplayName">The owner's fully qualified name, as the ledger reports it.</param>
/// <param name="Disposable">Whether the owner opted in to <c>IDisposable</c>.</param>
/// <param name="Members">The marked fields in declaration order.</param>
internal sealed record MappingOwnerModel(
    string Namespace,
    EquatableArray<TypeDeclarationModel> ContainingTypes,
    TypeDeclarationModel Type,
    string DisplayName,
    bool Disposable,
    EquatableArray<MappingMemberModel> Members)
{
    /// <summary>The deterministic hint name of the generated file, e.g. <c>Sim.Nested.Vmcs02Pages.Mappings.g.cs</c>.</summary>
    public string HintName => DisplayName.Replace("global::", string.Empty) + ".Mappings.g.cs";
}
