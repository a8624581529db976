using System.Collections.Generic;

namespace MmuGuard.Generators.Tests.Inputs;

/// <summary>
/// A representative user type for the generator: its sources, and what the tests need to drive the generated members
/// (the owner's runtime name and the stems of its pinned and notifier-covered members).
/// </summary>
/// <param name="Name">The snapshot name.</param>
/// <param name="OwnerMetadataName">The owner's runtime type name, e.g. <c>Sim.Outer+Vmcs02</c>.</param>
/// <param name="PinnedStems">The stems of the <c>[OutOfBandMapping]</c> members, in declaration order.</param>
/// <param name="CoveredStems">The stems of the <c>[NotifierCoveredMapping]</c> members, in declaration order.</param>
/// <param name="Disposable">Whether the owner opts in to <c>IDisposable</c>.</param>
/// <param name="Sources">The user's source files.</param>
internal sealed record GeneratorInput(
    string Name,
    string OwnerMetadataName,
    IReadOnlyList<string> PinnedStems,
    IReadOnlyList<string> CoveredStems,
    bool Disposable,
    params string[] Sources)
{
    public override string ToString() => Name;
}
