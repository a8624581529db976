namespace MmuGuard.Shared;

/// <summary>
/// The names the bookkeeping generator gives the members it writes. Compiled into both the generator and the
/// analyzers (linked source), so the collision check (MMU0015) and the emitter can never disagree.
/// </summary>
internal static class MappingNames
{
    /// <summary>Per type: releases every live mapping.</summary>
    public const string UnmapAll = "UnmapAll";

    /// <summary>Per type: the pin ledger of the owner's out-of-band mappings.</summary>
    public const string PinLedger = "PinLedger";

    /// <summary>Per type: reports live pins as leaks, then releases them.</summary>
    public const string Teardown = "Teardown";

    /// <summary>Per type, when the owner opts in to <c>IDisposable</c>.</summary>
    public const string Dispose = "Dispose";

    /// <summary>
    /// Per type with a notifier-covered mapping: the explicit implementation of
    /// <c>MmuGuard.Mapping.INotifierCoveredMappingOwner.InvalidateCoveredMapping</c>, which a type can have only once.
    /// </summary>
    public const string InvalidateCoveredMapping = "InvalidateCoveredMapping";

    /// <summary>The interface a type with a notifier-covered mapping implements, as its metadata name.</summary>
    public const string CoveredMappingOwnerInterface = "MmuGuard.Mapping.INotifierCoveredMappingOwner";

    // The private state fields and their lazy accessors; the double underscore keeps them clear of most user names,
    // and the collision check (MMU0015) covers the rest.
    public const string PinnedField = "__pinnedMappings";
    public const string PinnedState = "__PinnedMappings";
    public const string CoveredField = "__coveredMappings";
    public const string CoveredState = "__CoveredMappings";

    /// <summary>The public members written for every owner, whatever its mappings.</summary>
    public static string[] PerTypeMembers() => new[] { UnmapAll, PinLedger, Teardown };

    /// <summary>The private members written for every owner, plus those written when it has a covered mapping.</summary>
    public static string[] PrivateMembers(bool hasCoveredMapping) =>
        hasCoveredMapping
            ? new[] { PinnedField, PinnedState, CoveredField, CoveredState }
            : new[] { PinnedField, PinnedState };

    /// <summary>
    /// The PascalCase stem of a mapping field's generated members: strips a leading <c>_</c> or <c>m_</c> and
    /// trailing <c>_</c>, then upper-cases the first letter (<c>_apicAccessPage</c> → <c>ApicAccessPage</c>).
    /// Returns an empty string when nothing is left (the analyzer reports such a field).
    /// </summary>
    public static string StemOf(string fieldName)
    {
        var start = 0;
        var end = fieldName.Length;
        if (fieldName.StartsWith("m_", System.StringComparison.Ordinal))
        {
            start = 2;
        }

        while (start < end && fieldName[start] == '_')
        {
            start++;
        }

        while (end > start && fieldName[end - 1] == '_')
        {
            end--;
        }

        if (start == end)
        {
            return string.Empty;
        }

        var stem = fieldName.Substring(start, end - start);
        return char.ToUpperInvariant(stem[0]) + stem.Substring(1);
    }

    /// <summary>The members generated for an out-of-band (pinned) mapping with stem <paramref name="stem"/>.</summary>
    public static string[] PinnedMembers(string stem) =>
        new[] { Map(stem), Unmap(stem), IsMapped(stem), PfnProperty(stem) };

    /// <summary>The members generated for a notifier-covered mapping with stem <paramref name="stem"/>.</summary>
    public static string[] CoveredMembers(string stem) =>
        new[] { Refresh(stem), Invalidate(stem), IsValid(stem), TryGet(stem) };

    public static string Map(string stem) => "Map" + stem;

    public static string Unmap(string stem) => "Unmap" + stem;

    public static string IsMapped(string stem) => "Is" + stem + "Mapped";

    public static string PfnProperty(string stem) => stem + "Pfn";

    public static string Refresh(string stem) => "Refresh" + stem;

    public static string Invalidate(string stem) => "Invalidate" + stem;

    public static string IsValid(string stem) => "Is" + stem + "Valid";

    public static string TryGet(string stem) => "TryGet" + stem;
}
