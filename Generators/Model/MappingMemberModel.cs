namespace MmuGuard.Generators.Model;

/// <summary>One marked field: the storage the generated members write, and the name they are built from.</summary>
/// <param name="FieldName">The user's field, as declared (e.g. <c>_apicAccessPage</c>).</param>
/// <param name="MappingName">The PascalCase stem of the generated members (e.g. <c>ApicAccessPage</c>).</param>
/// <param name="Kind">Pinned or notifier-covered.</param>
/// <param name="Slot">
/// The member's index among the owner's members of the same <paramref name="Kind"/>, in declaration order: its pin
/// ledger slot when pinned, the slot it is tracked under by the covered page source when notifier-covered.
/// </param>
internal sealed record MappingMemberModel(string FieldName, string MappingName, MappingKind Kind, int Slot);
